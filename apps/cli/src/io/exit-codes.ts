/** interfaces.md: input errors exit 2, a run that ends failed exits 1, success 0. */
export const EXIT = {
  OK: 0,
  RUN_FAILED: 1,
  INPUT: 2,
} as const;

/** An error the CLI reports as lines on stderr and turns into an exit code. */
export class CliError extends Error {
  constructor(
    readonly lines: readonly string[],
    readonly exitCode: number = EXIT.INPUT,
  ) {
    super(lines.join('\n'));
    this.name = 'CliError';
  }
}
