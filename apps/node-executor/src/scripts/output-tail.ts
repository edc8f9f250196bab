import { OUTPUT_TAIL_BYTES } from '@ferry/contracts';

/** A UTF-8 continuation byte (10xxxxxx): not the start of a character. */
function isContinuation(byte: number): boolean {
  return (byte & 0xc0) === 0x80;
}

/**
 * The last `limit` bytes of a script's stdout and stderr, interleaved in arrival order. Old
 * chunks are dropped as new ones arrive, so a script that prints gigabytes costs 64 KiB.
 */
export class OutputTail {
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(private readonly limit = OUTPUT_TAIL_BYTES) {}

  push(chunk: Buffer | string): void {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (buffer.length === 0) return;
    this.chunks.push(buffer);
    this.size += buffer.length;
    while (this.chunks.length > 1 && this.size - this.chunks[0].length >= this.limit) {
      this.size -= (this.chunks.shift() as Buffer).length;
    }
  }

  /** The tail as text; a character cut in half at the start is dropped, never half-decoded. */
  text(): string {
    let buffer = Buffer.concat(this.chunks, this.size);
    if (buffer.length > this.limit) {
      buffer = buffer.subarray(buffer.length - this.limit);
      let start = 0;
      while (start < 3 && start < buffer.length && isContinuation(buffer[start])) start++;
      buffer = buffer.subarray(start);
    }
    return buffer.toString('utf8');
  }
}
