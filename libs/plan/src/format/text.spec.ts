import { readFileSync } from 'fs';
import { join } from 'path';
import type { Compiled } from '../compile/compile';
import type { Plan, TaskRecord } from '../model/plan';
import { unwrap } from '../problems/problem';
import { parseSimUrl } from '../sim/url';
import { simulateCluster } from '../sim/simulate';
import { slicePlan } from '../slice/slice';
import { compileSources } from '../sources';
import { renderPlanText } from './text';

const seedDir = join(__dirname, '../../../../examples/seed');
const seedFile = (name: string) => readFileSync(join(seedDir, name), 'utf8');
const FILES = {
  inventory: 'inventory.yaml',
  descriptor: 'descriptor.yaml',
  logicBook: 'logic.yaml',
};

function compileSeed(logicBook = seedFile('logic.yaml')): Compiled {
  return unwrap(
    compileSources(
      {
        inventory: seedFile('inventory.yaml'),
        descriptor: seedFile('descriptor.yaml'),
        logicBook,
      },
      FILES,
    ),
  );
}

function compileSim(url: string, logicBook: string): Compiled {
  const { inventory, descriptor } = simulateCluster(unwrap(parseSimUrl(url)));
  return unwrap(compileSources({ inventory, descriptor, logicBook }, FILES));
}

/** A table row split into its columns (two or more spaces apart). */
function rowStarting(text: string, ...first: string[]): string[] {
  const rows = text
    .split('\n')
    .map((line) => line.trim().split(/ {2,}/))
    .filter((cells) => first.every((f, i) => cells[i] === f));
  if (rows.length !== 1)
    throw new Error(`${rows.length} rows start with ${first.join(' | ')} in\n${text}`);
  return rows[0];
}

function section(text: string, title: string): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith(title));
  if (start < 0) throw new Error(`no ${title} in\n${text}`);
  const end = lines.findIndex((l, i) => i > start && l === '');
  return lines.slice(start, end < 0 ? undefined : end);
}

describe('renderPlanText', () => {
  describe('the seed plan', () => {
    const compiled = compileSeed();
    const text = renderPlanText(compiled.plan, {
      ...compiled.stats,
      coverage: compiled.walk.coverage,
    });

    it('starts with the plan name and snapshot', () => {
      expect(text.split('\n')[0]).toBe('Plan seed-example · snapshot none');
      const withSnapshot = renderPlanText({ ...compiled.plan, snapshot: 'snap-42' });
      expect(withSnapshot.split('\n')[0]).toBe('Plan seed-example · snapshot snap-42');
    });

    it('has one line per batch with index, phase, hosts, tasks and the ids', () => {
      expect(rowStarting(text, 'Batch')).toEqual([
        'Batch',
        'Phase',
        'Hosts',
        'Tasks',
        'Hosts | tasks',
      ]);
      expect(rowStarting(text, '0')).toEqual([
        '0',
        'dispatch',
        '2',
        '3',
        'A, B | A_X_dispatch, A_Y_dispatch, B_X_dispatch',
      ]);
      expect(rowStarting(text, '2')).toEqual(['2', 'stop', '2', '2', 'A, B | A_X_stop, B_X_stop']);
      expect(rowStarting(text, '3')).toEqual(['3', 'stop', '1', '1', 'A | A_Y_stop']);
      expect(rowStarting(text, '6')).toEqual([
        '6',
        'start',
        '2',
        '2',
        'A, B | A_X_start, B_X_start',
      ]);
      expect(() => rowStarting(text, '7')).toThrow('0 rows');
    });

    it('aligns the batch table', () => {
      const table = section(text, 'Batch');
      expect(table).toHaveLength(8);
      const detailAt = table[0].indexOf('Hosts | tasks');
      for (const line of table.slice(1)) expect(line.slice(detailAt - 2, detailAt)).toBe('  ');
      expect(table[1].indexOf('dispatch')).toBe(table[0].indexOf('Phase'));
    });

    it('sums up hosts, instances, already at target, tasks and batches', () => {
      expect(section(text, 'Summary')).toEqual([
        'Summary',
        '  hosts               2  (2 with tasks)',
        '  instances touched   3',
        '  already at target   0',
        '  tasks              15',
        '  batches             7',
      ]);
    });

    it('has a table of phases with their batch ranges', () => {
      expect(rowStarting(text, 'Phase', 'Batches')).toEqual(['Phase', 'Batches', 'Hosts', 'Tasks']);
      expect(rowStarting(text, 'dispatch', '0')).toEqual(['dispatch', '0', '2', '3']);
      expect(rowStarting(text, 'stop', '2-3')).toEqual(['stop', '2-3', '2', '3']);
      expect(rowStarting(text, 'start', '5-6')).toEqual(['start', '5-6', '2', '3']);
    });

    it('says when no action goes unscheduled', () => {
      expect(text).toContain('\nUnscheduled actions: none\n');
    });

    it('without stats, works out what the plan can tell and leaves out the rest', () => {
      const bare = renderPlanText(compiled.plan);
      expect(bare).not.toContain('already at target');
      expect(rowStarting(bare, 'instances touched')).toEqual(['instances touched', '3']);
      expect(rowStarting(bare, 'hosts')).toEqual(['hosts', '2', '(2 with tasks)']);
      expect(bare).toContain('\nUnscheduled actions: none\n');
    });
  });

  describe('unscheduled actions', () => {
    // `once: true` leaves B without a check: its instance B/X never gets one.
    const compiled = compileSeed(
      seedFile('logic.yaml').replace('- action: check', '- action: check\n    once: true'),
    );

    it('lists, per mode, the actions some instances get no task for', () => {
      const text = renderPlanText(compiled.plan, {
        ...compiled.stats,
        coverage: compiled.walk.coverage,
      });
      expect(section(text, 'Unscheduled actions')).toEqual([
        'Unscheduled actions (instances of the mode that get no task for the action)',
        '  restart  check  1 of 3 instances',
      ]);
    });

    it('works them out from the plan alone the same way', () => {
      const fromStats = renderPlanText(compiled.plan, { unscheduled: compiled.walk.coverage });
      expect(renderPlanText(compiled.plan)).toBe(fromStats);
    });

    it('leaves them out of a slice, which drops actions on purpose', () => {
      const slice = unwrap(slicePlan(compiled.plan, { command: 'upgrade' }));
      expect(renderPlanText(slice)).not.toContain('Unscheduled');
    });
  });

  describe('a slice', () => {
    const compiled = compileSeed();
    const slice = unwrap(
      slicePlan(compiled.plan, { command: 'upgrade', instances: ['A/Y', 'B/X'] }),
    );
    const text = renderPlanText(slice);

    it('says what it is a slice of, and by which command', () => {
      expect(text.split('\n').slice(0, 2)).toEqual([
        'Plan seed-example · snapshot none',
        'Slice of seed-example: command upgrade; instances A/Y, B/X',
      ]);
    });

    it('shows its own batches and the phases it leaves out', () => {
      expect(rowStarting(text, '0')).toEqual(['0', 'stop', '1', '1', 'B | B_X_stop']);
      expect(rowStarting(text, 'dispatch')).toEqual(['dispatch', '-', 'none in this slice']);
      expect(rowStarting(text, 'stop', '0-1')).toEqual(['stop', '0-1', '2', '2']);
      expect(rowStarting(text, 'tasks')).toEqual(['tasks', '6']);
    });

    it('cuts long lists in the command', () => {
      const hosts = Array.from({ length: 8 }, (_, i) => `h${i}`);
      const long = renderPlanText({
        ...slice,
        slice: { of: 'p1', command: { phases: ['stop'], hosts, exclude_done: false } },
      });
      expect(long.split('\n')[1]).toBe(
        'Slice of p1: phases stop; hosts h0, h1, h2, h3, h4 (+3 more); done tasks included',
      );
    });
  });

  describe('a large plan', () => {
    const logic = `
modes: { restart: [dispatch, stop, uprpm, start] }
phases:
  - action: dispatch
  - name: compute
    actions: [stop, uprpm, start]
    where: { roles: [compute] }
    split: { canary: 1, by: az }
    verify: health
  - name: spare
    action: stop
    where: { groups: { az: [az9] } }
`;
    const compiled = compileSim('sim://nodes=300&components=4&at_target=0.1&seed=3', logic);
    const text = renderPlanText(compiled.plan, {
      ...compiled.stats,
      coverage: compiled.walk.coverage,
    });

    it('summarises long batches: a host range and the tasks per action and component', () => {
      expect(rowStarting(text, '0')).toEqual([
        '0',
        'dispatch',
        '300',
        '1080',
        'node-001 … node-300 | dispatch ×1080 (comp-01, comp-02, comp-03, comp-04)',
      ]);
      expect(rowStarting(text, '3')).toEqual([
        '3',
        'compute',
        '98',
        '1059',
        'node-007 … node-104 | stop ×353, uprpm ×353, start ×353 (comp-01, comp-02, comp-03, comp-04)',
      ]);
      expect(rowStarting(text, '4')[4]).toBe(
        'node-007 … node-104 | health ×353 (comp-01, comp-02, comp-03, comp-04)',
      );
    });

    it('keeps every line well inside a wide terminal', () => {
      for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(150);
    });

    it('counts verify tasks and shows phases that produced nothing', () => {
      expect(rowStarting(text, 'tasks')[2]).toMatch(/^\(\d+ verify\)$/);
      expect(rowStarting(text, 'spare')).toEqual(['spare', '-', 'produced nothing']);
      expect(rowStarting(text, 'already at target')).toEqual(['already at target', '120']);
    });
  });

  describe('odd plans', () => {
    const base = compileSeed().plan;

    it('renders a plan with no batches', () => {
      const empty: Plan = { ...base, tasks: new Map(), mission: [] };
      const text = renderPlanText(empty);
      expect(text).toContain('No batches: the plan has nothing to do.');
      expect(rowStarting(text, 'batches')).toEqual(['batches', '0']);
    });

    it('keeps control characters in names from breaking lines', () => {
      const text = renderPlanText({ ...base, name: 'evil\nname\u001b[31m' });
      expect(text.split('\n')[0]).toBe('Plan evil?name?[31m · snapshot none');
    });

    it('survives ids an edited plan holds without a record', () => {
      const tasks = new Map<string, TaskRecord>(base.tasks);
      tasks.delete('B_X_check');
      const text = renderPlanText({ ...base, tasks });
      expect(rowStarting(text, '1')).toEqual([
        '1',
        'check',
        '2',
        '3',
        'A, B | A_X_check, A_Y_check, B_X_check',
      ]);
    });

    it('lists global and verify tasks apart in the summary', () => {
      const tasks = new Map<string, TaskRecord>(base.tasks);
      tasks.set('upg-server_nova_pin-rpc', {
        host: 'upg-server',
        target: 'nova',
        action: 'pin-rpc',
        phase: 'dispatch',
        mode: null,
        from: null,
        to: null,
        release: null,
        undo: null,
        layer: 0,
      });
      const mission = [[[['upg-server_nova_pin-rpc']]], ...base.mission];
      const text = renderPlanText({ ...base, tasks, mission });
      expect(rowStarting(text, 'tasks')).toEqual(['tasks', '16', '(1 global)']);
      expect(rowStarting(text, 'hosts')).toEqual(['hosts', '2', '(2 with tasks)']);
    });
  });
});
