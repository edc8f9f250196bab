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
  return [
    ...INVENTORY_RULES.flatMap((rule) => rule(inputs.inventory, files)),
    ...DESCRIPTOR_RULES.flatMap((rule) => rule(inputs.descriptor, files)),
    ...LOGIC_BOOK_RULES.flatMap((rule) => rule(inputs.logicBook, files)),
    ...CROSS_RULES.flatMap((rule) => rule(inputs, files)),
  ];
}
