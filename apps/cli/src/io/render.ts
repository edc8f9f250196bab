import {
  coalesce,
  planJsonChunks,
  renderPlanMermaid,
  renderPlanText,
  type Plan,
} from '@ferry/plan';
import { CliError } from './exit-codes';
import { writeChunks, writeStdout } from './files';

export type Format = 'json' | 'text' | 'mermaid';
export const FORMATS: readonly Format[] = ['json', 'text', 'mermaid'];

export function parseFormat(value: string): Format {
  if (!(FORMATS as readonly string[]).includes(value)) {
    throw new CliError([
      `--format: must be one of ${FORMATS.join(', ')}, got ${JSON.stringify(value)}`,
    ]);
  }
  return value as Format;
}

/**
 * Shared output rule of `plan`, `slice` and `check`: `-o FILE` writes the plan file, `-o -` writes
 * it to stdout (and nothing else goes there); stdout otherwise gets the plan in `--format` (text by
 * default).
 */
export async function emitPlan(
  plan: Plan,
  output: string | undefined,
  format: Format | undefined,
  stats?: Parameters<typeof renderPlanText>[1],
): Promise<void> {
  if (output === '-' && format !== undefined && format !== 'json') {
    throw new CliError([
      `-o -: the plan file goes to stdout, so --format ${format} cannot; write the plan to a file instead`,
    ]);
  }
  if (output !== undefined) await writeChunks(output, coalesce(planJsonChunks(plan)));
  if (output === '-') return;
  const shown = format ?? 'text';
  if (shown === 'json') await writeStdout(coalesce(planJsonChunks(plan)));
  else if (shown === 'mermaid') await writeStdout([renderPlanMermaid(plan)]);
  else await writeStdout([renderPlanText(plan, stats)]);
}
