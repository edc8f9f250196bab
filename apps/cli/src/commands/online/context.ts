import { InvalidArgumentError } from 'commander';
import { ApiClient, apiConfigFromEnv } from './api';

/** The client every online command uses: `FERRY_API` and `FERRY_TOKEN` from the environment. */
export function apiClient(): ApiClient {
  return new ApiClient(apiConfigFromEnv());
}

/** Writes lines to stdout. */
export function say(...lines: readonly string[]): void {
  if (lines.length) process.stdout.write(lines.map((l) => `${l}\n`).join(''));
}

/** Columns padded to their widest cell; numbers right-aligned. */
export function table(
  header: readonly string[],
  rows: readonly (readonly (string | number)[])[],
): string[] {
  const cells = [header, ...rows].map((row) => row.map((c) => String(c)));
  const widths = header.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  const numeric = header.map(
    (_, i) => rows.length > 0 && rows.every((row) => typeof row[i] === 'number'),
  );
  return cells.map((row) =>
    row
      .map((cell, i) => (numeric[i] ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd(),
  );
}

/** `--max-in-flight 10` / `25%`: a whole number or a percentage, as the run policy takes it. */
export function countOrPercent(flag: string, min: number) {
  return (raw: string): number | string => {
    const value = raw.trim();
    if (/^\d+$/.test(value) && Number(value) >= min) return Number(value);
    if (/^\d+(\.\d+)?%$/.test(value) && Number(value.slice(0, -1)) <= 100) return value;
    throw new InvalidArgumentError(
      `${flag} takes a whole number ≥ ${min} or a percentage like 25%.`,
    );
  };
}
