import { fit } from './render';

/** The little a live display needs from a stream (so tests can capture it). */
export interface Out {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/**
 * A block of lines at the bottom of a terminal, redrawn in place; finished lines are committed
 * above it and stay. Without a TTY nothing is redrawn: only committed lines are written, so logs
 * and pipes get one line per event that matters, never control codes.
 */
export class LiveArea {
  private drawn = 0;

  constructor(private readonly out: Out) {}

  get tty(): boolean {
    return Boolean(this.out.isTTY);
  }

  private columns(): number {
    return this.out.columns && this.out.columns > 0 ? this.out.columns : 100;
  }

  /** Erases the live block (cursor back to where it began). */
  private erase(): string {
    if (!this.drawn) return '';
    // To the start of the first drawn line, then clear to the end of the screen.
    // (CSI 0 A would still move one line up, so no move at all for a one-line block.)
    const up = this.drawn > 1 ? `\x1b[${this.drawn - 1}A` : '';
    const text = `\r${up}\x1b[J`;
    this.drawn = 0;
    return text;
  }

  /** Writes lines that stay (above the live block). */
  commit(lines: readonly string[]): void {
    if (!lines.length) return;
    if (!this.tty) {
      this.out.write(lines.map((l) => `${l}\n`).join(''));
      return;
    }
    const columns = this.columns();
    this.out.write(this.erase() + lines.map((l) => `${fit(l, columns)}\n`).join(''));
  }

  /** Redraws the live block (a no-op without a TTY). */
  render(lines: readonly string[]): void {
    if (!this.tty) return;
    const columns = this.columns();
    const text = lines.map((l) => `\x1b[2K${fit(l, columns)}`).join('\n');
    this.out.write(this.erase() + text);
    this.drawn = lines.length;
  }

  /** Leaves the terminal with the cursor on a fresh line after the block. */
  close(): void {
    if (this.tty && this.drawn) this.out.write(this.erase());
  }
}
