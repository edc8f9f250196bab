import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One line of the execution log the test scripts write: when a task started or ended. */
export interface Mark {
  readonly edge: 'start' | 'end';
  readonly task: string;
  /** Nanoseconds since the epoch (`date +%s%N`). */
  readonly at: bigint;
  readonly attempt: number;
}

export interface MarkerScripts {
  readonly dir: string;
  readonly log: string;
  marks(): Mark[];
  /** Make the task fail (exit 3) from now on; `times` failures, then succeed. */
  failTask(task: string, times?: number): void;
  /** Make the task hang for `seconds` (to stop or kill things while it runs). */
  slowTask(task: string, seconds: number): void;
}

/**
 * Harmless task scripts that write start and end marks to one execution log, so a test can check
 * from the outside what ran, when and how often. Context comes only from FERRY_* variables.
 * Failures and delays are switched per task by files in the script folder.
 */
export function markerScripts(
  dir: string,
  actions: readonly string[],
  sleepSeconds = 0.05,
): MarkerScripts {
  const scripts = join(dir, 'scripts', '_default');
  const control = join(dir, 'control');
  mkdirSync(scripts, { recursive: true });
  mkdirSync(control, { recursive: true });
  const log = join(dir, 'marks.log');
  writeFileSync(log, '');
  const body = `#!/bin/sh
# Writes start/end marks; fails or hangs when the test asks for it (control files per task).
log='${log}'
control='${control}'
name="$FERRY_TASK"
printf 'start %s %s %s\\n' "$name" "$(date +%s%N)" "$FERRY_ATTEMPT" >> "$log"
# An injected failure ends at once, so the moment it is known is well before its neighbours end.
if [ -f "$control/$name.fail" ] && [ "$(cat "$control/$name.fail")" -gt 0 ]; then
  left=$(cat "$control/$name.fail")
  if [ "$left" -gt 0 ]; then
    echo $((left - 1)) > "$control/$name.fail"
    echo "injected failure of $name (attempt $FERRY_ATTEMPT)" >&2
    printf 'end %s %s %s\\n' "$name" "$(date +%s%N)" "$FERRY_ATTEMPT" >> "$log"
    exit 3
  fi
fi
if [ -f "$control/$name.slow" ]; then sleep "$(cat "$control/$name.slow")"; else sleep ${sleepSeconds}; fi
echo "ran $FERRY_ACTION on $FERRY_HOST/$FERRY_TARGET from '$FERRY_FROM' to '$FERRY_TO'"
printf 'end %s %s %s\\n' "$name" "$(date +%s%N)" "$FERRY_ATTEMPT" >> "$log"
`;
  for (const action of actions) {
    const file = join(scripts, action);
    writeFileSync(file, body);
    chmodSync(file, 0o755);
  }
  return {
    dir: join(dir, 'scripts'),
    log,
    marks: () =>
      existsSync(log)
        ? readFileSync(log, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((line) => {
              const [edge, task, at, attempt] = line.split(' ');
              return {
                edge: edge as 'start' | 'end',
                task,
                at: BigInt(at),
                attempt: Number(attempt),
              };
            })
        : [],
    failTask: (task, times = 1000) => writeFileSync(join(control, `${task}.fail`), String(times)),
    slowTask: (task, seconds) => writeFileSync(join(control, `${task}.slow`), String(seconds)),
  };
}
