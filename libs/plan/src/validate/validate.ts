import type { InputFiles } from '../model/inputs';
import type { Problem } from '../problems/problem';
import { CROSS_RULES } from './cross-rules';
import { DESCRIPTOR_RULES } from './descriptor-rules';
import { INVENTORY_RULES } from './inventory-rules';
import { LOGIC_BOOK_RULES } from './logic-book-rules';
import type { Inputs } from './rule';

/**
 * Runs every rule over inputs whose structure is already sound, and returns every problem found
 * (not just the first).
 */
export function validateInputs(inputs: Inputs, files: InputFiles): Problem[] {
  return [...validateEach(inputs, files), ...CROSS_RULES.flatMap((rule) => rule(inputs, files))];
}

/**
 * The rules of each file on its own, for whichever files could be read: a syntax error in one
 * file must not hide the problems of the others.
 */
export function validateEach(inputs: Partial<Inputs>, files: InputFiles): Problem[] {
  return [
    ...(inputs.inventory
      ? INVENTORY_RULES.flatMap((rule) => rule(inputs.inventory as Inputs['inventory'], files))
      : []),
    ...(inputs.descriptor
      ? DESCRIPTOR_RULES.flatMap((rule) => rule(inputs.descriptor as Inputs['descriptor'], files))
      : []),
    ...(inputs.logicBook
      ? LOGIC_BOOK_RULES.flatMap((rule) => rule(inputs.logicBook as Inputs['logicBook'], files))
      : []),
  ];
}
