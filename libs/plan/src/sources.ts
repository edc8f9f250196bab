import { compilePlan, type CompileInputs, type Compiled } from './compile/compile';
import { readDescriptor, readInventory, readLogicBook } from './input/read';
import type { InputFiles } from './model/inputs';
import { failed, ok, type Result } from './problems/problem';
import { validateEach } from './validate/validate';

/** The three inputs as YAML/JSON text or parsed values, before validation. */
export interface InputSources {
  readonly inventory: unknown;
  readonly descriptor: unknown;
  readonly logicBook: unknown;
}

/** Reads all three inputs, reporting the problems of every file, not just the first bad one. */
export function readInputs(sources: InputSources, files: InputFiles): Result<CompileInputs> {
  const inventory = readInventory(sources.inventory, files.inventory);
  const descriptor = readDescriptor(sources.descriptor, files.descriptor);
  const logicBook = readLogicBook(sources.logicBook, files.logicBook);
  if (inventory.ok && descriptor.ok && logicBook.ok) {
    return ok({
      inventory: inventory.value,
      descriptor: descriptor.value,
      logicBook: logicBook.value,
    });
  }
  const readable = {
    ...(inventory.ok ? { inventory: inventory.value } : {}),
    ...(descriptor.ok ? { descriptor: descriptor.value } : {}),
    ...(logicBook.ok ? { logicBook: logicBook.value } : {}),
  };
  return failed([
    ...[inventory, descriptor, logicBook].flatMap((r) => (r.ok ? [] : r.problems)),
    ...validateEach(readable, files),
  ]);
}

/** Reads and compiles in one step: the offline `ferry plan`. */
export function compileSources(
  sources: InputSources,
  files: InputFiles,
  snapshot: string | null = null,
): Result<Compiled> {
  const inputs = readInputs(sources, files);
  return inputs.ok ? compilePlan(inputs.value, { files, snapshot }) : inputs;
}
