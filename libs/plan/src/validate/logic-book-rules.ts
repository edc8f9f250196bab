import type { HostPhase, LogicBook, Phase } from '../model/inputs';
import type { ProblemCode } from '../problems/codes';
import { joinPath, type Problem } from '../problems/problem';
import { groupBy, quoteList, type Rule } from './rule';

const GLOBAL_PHASE_KEYS = new Set(['name', 'scope', 'target', 'action', 'per_release', 'when']);

function problemAt(file: string) {
  return (code: ProblemCode, path: string, message: string): Problem => ({
    code,
    file,
    path,
    message,
  });
}

function hostPhases(book: LogicBook): HostPhase[] {
  return book.phases.filter((p): p is HostPhase => p.scope === 'host');
}

/** A host phase has exactly one of `action` and `actions`. */
export const actionOrActions: Rule<LogicBook> = (book, files) => {
  const at = problemAt(files.logicBook);
  return hostPhases(book).flatMap((phase) => {
    const hasAction = phase.keys.includes('action');
    const hasActions = phase.keys.includes('actions');
    if (hasAction && hasActions) {
      return [
        at(
          'LOGIC.ACTION_AND_ACTIONS',
          `phases[${phase.index}]`,
          'give `action` or `actions`, not both',
        ),
      ];
    }
    if (!hasAction && !hasActions) {
      return [
        at(
          'LOGIC.ACTION_AND_ACTIONS',
          `phases[${phase.index}]`,
          'a phase needs `action` (one) or `actions` (a list)',
        ),
      ];
    }
    return [];
  });
};

/** A global phase has a target and one action, and only the keys a single upg-server task can use. */
export const globalPhaseKeys: Rule<LogicBook> = (book, files) => {
  const at = problemAt(files.logicBook);
  const problems: Problem[] = [];
  for (const phase of book.phases) {
    const base = `phases[${phase.index}]`;
    if (phase.scope === 'host') {
      if (phase.keys.includes('target')) {
        problems.push(
          at(
            'LOGIC.TARGET_WITHOUT_GLOBAL',
            `${base}.target`,
            '`target` is only for `scope: global` phases',
          ),
        );
      }
      continue;
    }
    for (const key of phase.keys) {
      if (!GLOBAL_PHASE_KEYS.has(key)) {
        problems.push(
          at(
            'LOGIC.GLOBAL_KEYS',
            `${base}.${key}`,
            `a global phase cannot have \`${key}\` (allowed: ${[...GLOBAL_PHASE_KEYS].join(', ')})`,
          ),
        );
      }
    }
    if (!phase.keys.includes('target')) {
      problems.push(
        at(
          'LOGIC.GLOBAL_KEYS',
          `${base}.target`,
          'a global phase needs a `target` (the task is upg-server_<target>_<action>)',
        ),
      );
    }
    if (!phase.keys.includes('action')) {
      problems.push(
        at('LOGIC.GLOBAL_KEYS', `${base}.action`, 'a global phase needs exactly one `action`'),
      );
    }
  }
  return problems;
};

/** Phase names (given, or defaulted to the first action) are unique. */
export const uniquePhaseNames: Rule<LogicBook> = (book, files) => {
  const at = problemAt(files.logicBook);
  const problems: Problem[] = [];
  for (const [name, indices] of groupBy(book.phases, (p) => p.name)) {
    for (const index of indices.slice(1)) {
      const phase = book.phases[index];
      const named = phase.keys.includes('name');
      problems.push(
        at(
          'LOGIC.DUPLICATE_PHASE',
          named ? `phases[${index}].name` : `phases[${index}]`,
          `phase name ${JSON.stringify(name)} is already used by phases[${indices[0]}]` +
            (named
              ? ''
              : ' (a phase without `name` is named after its first action; give it a `name`)'),
        ),
      );
    }
  }
  return problems;
};

/** Every phase a command names exists. */
export const commandsNameKnownPhases: Rule<LogicBook> = (book, files) => {
  const at = problemAt(files.logicBook);
  const names = new Set(book.phases.map((p) => p.name));
  return Object.entries(book.commands).flatMap(([command, phases]) =>
    phases.flatMap((name, j) =>
      names.has(name)
        ? []
        : [
            at(
              'LOGIC.UNKNOWN_PHASE',
              `${joinPath('commands', command)}[${j}]`,
              `command ${JSON.stringify(command)} names phase ${JSON.stringify(name)}, which does not exist (phases: ${quoteList(names)})`,
            ),
          ],
    ),
  );
};

/** `order` and `after` are two ways to say one thing: not both on a phase. */
export const orderOrAfter: Rule<LogicBook> = (book, files) => {
  const at = problemAt(files.logicBook);
  return hostPhases(book)
    .filter((p) => p.order !== undefined && p.after !== undefined)
    .map((p) =>
      at('LOGIC.ORDER_AND_AFTER', `phases[${p.index}].after`, 'give `order` or `after`, not both'),
    );
};

/** A component appears at most once in an `order`. */
export const orderListsComponentsOnce: Rule<LogicBook> = (book, files) => {
  const at = problemAt(files.logicBook);
  const problems: Problem[] = [];
  for (const phase of hostPhases(book)) {
    const firstSeen = new Map<string, number>();
    phase.order?.forEach((item, i) => {
      for (const component of item) {
        const first = firstSeen.get(component);
        if (first !== undefined) {
          problems.push(
            at(
              'LOGIC.ORDER_DUPLICATE',
              `phases[${phase.index}].order[${i}]`,
              `component ${JSON.stringify(component)} is already in order[${first}]`,
            ),
          );
        } else {
          firstSeen.set(component, i);
        }
      }
    });
  }
  return problems;
};

/** Finds every elementary cycle's representative once: each reported cycle starts at its smallest name. */
export function findCycles(relation: Readonly<Record<string, readonly string[]>>): string[][] {
  const cycles: string[][] = [];
  const seen = new Set<string>();
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of relation[node] ?? []) {
      const s = state.get(next);
      if (s === 'open') {
        const cycle = stack.slice(stack.indexOf(next));
        const start = cycle.indexOf([...cycle].sort()[0]);
        const rotated = [...cycle.slice(start), ...cycle.slice(0, start)];
        const key = rotated.join('\u0000');
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push(rotated);
        }
      } else if (s === undefined) {
        visit(next);
      }
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of Object.keys(relation)) if (!state.has(node)) visit(node);
  return cycles;
}

/** `after` is a partial order: a cycle would leave no component able to go first. */
export const afterIsAcyclic: Rule<LogicBook> = (book, files) => {
  const at = problemAt(files.logicBook);
  return hostPhases(book).flatMap((phase) =>
    phase.after === undefined
      ? []
      : findCycles(phase.after).map((cycle) =>
          at(
            'LOGIC.CYCLE',
            joinPath(`phases[${phase.index}].after`, cycle[0]),
            `cycle in \`after\`: ${[...cycle, cycle[0]].join(' after ')}`,
          ),
        ),
  );
};

/** `split.count` cuts the hosts alone; it cannot be combined with `by` or `size`. */
export const countStandsAlone: Rule<LogicBook> = (book, files) => {
  const at = problemAt(files.logicBook);
  return hostPhases(book)
    .filter(
      (p) =>
        p.split?.count !== undefined && (p.split.by !== undefined || p.split.size !== undefined),
    )
    .map((p) =>
      at(
        'LOGIC.SPLIT_COUNT',
        `phases[${p.index}].split.count`,
        '`count` cannot be combined with `by` or `size`',
      ),
    );
};

/** `once_per` and `once` both choose hosts; only one may be given. */
export const onceOrOncePer: Rule<LogicBook> = (book, files) => {
  const at = problemAt(files.logicBook);
  return hostPhases(book)
    .filter((p) => p.keys.includes('once') && p.keys.includes('once_per'))
    .map((p) =>
      at('LOGIC.ONCE_BOTH', `phases[${p.index}].once`, 'give `once_per` or `once`, not both'),
    );
};

/** `when.release` only means something for a copy of a per-release block. */
export const releaseConditionInBlock: Rule<LogicBook> = (book, files) => {
  const at = problemAt(files.logicBook);
  return book.phases
    .filter((p: Phase) => p.when?.release !== undefined && !p.perRelease)
    .map((p) =>
      at(
        'LOGIC.RELEASE_OUTSIDE_BLOCK',
        `phases[${p.index}].when.release`,
        '`when.release` is only allowed on a phase with `per_release: true`',
      ),
    );
};

/** An action appears once in a mode and once in a phase (two would be one task id). */
export const actionsListedOnce: Rule<LogicBook> = (book, files) => {
  const at = problemAt(files.logicBook);
  const problems: Problem[] = [];
  for (const [mode, actions] of Object.entries(book.modes)) {
    for (const [action, indices] of groupBy(actions, (a) => a)) {
      for (const index of indices.slice(1)) {
        problems.push(
          at(
            'LOGIC.DUPLICATE_ACTION',
            `${joinPath('modes', mode)}[${index}]`,
            `action ${JSON.stringify(action)} is already at ${joinPath('modes', mode)}[${indices[0]}]`,
          ),
        );
      }
    }
  }
  for (const phase of hostPhases(book)) {
    for (const [action, indices] of groupBy(phase.actions, (a) => a)) {
      for (const index of indices.slice(1)) {
        problems.push(
          at(
            'LOGIC.DUPLICATE_ACTION',
            `phases[${phase.index}].actions[${index}]`,
            `action ${JSON.stringify(action)} is already at actions[${indices[0]}]`,
          ),
        );
      }
    }
    if (phase.verify !== null && phase.actions.includes(phase.verify)) {
      problems.push(
        at(
          'LOGIC.DUPLICATE_ACTION',
          `phases[${phase.index}].verify`,
          `verify action ${JSON.stringify(phase.verify)} is also one of the phase's actions; the two tasks would share one id`,
        ),
      );
    }
  }
  return problems;
};

/** A host phase's action is in some mode; otherwise no instance could ever get its task (a typo). */
export const hostActionsAreInModes: Rule<LogicBook> = (book, files) => {
  const at = problemAt(files.logicBook);
  const known = new Set(Object.values(book.modes).flat());
  return hostPhases(book).flatMap((phase) =>
    phase.actions.flatMap((action, j) =>
      known.has(action)
        ? []
        : [
            at(
              'LOGIC.UNKNOWN_ACTION',
              phase.keys.includes('actions')
                ? `phases[${phase.index}].actions[${j}]`
                : `phases[${phase.index}].action`,
              `action ${JSON.stringify(action)} is in no mode (${Object.keys(book.modes).join(', ')}), so it would never create a task`,
            ),
          ],
    ),
  );
};

export const LOGIC_BOOK_RULES: readonly Rule<LogicBook>[] = [
  actionOrActions,
  globalPhaseKeys,
  uniquePhaseNames,
  commandsNameKnownPhases,
  orderOrAfter,
  orderListsComponentsOnce,
  afterIsAcyclic,
  countStandsAlone,
  onceOrOncePer,
  releaseConditionInBlock,
  actionsListedOnce,
  hostActionsAreInModes,
];
