import {
  failed,
  ok,
  readDescriptor,
  readInventory,
  validateInputs,
  type Descriptor,
  type InputFiles,
  type Inventory,
  type LogicBook,
  type Problem,
  type Result,
} from '@ferry/plan';
import { nameAnsibleHosts, type InventoryDocument } from '../sources/ansible-source';

export interface CheckedInputs {
  readonly inventory: Inventory;
  readonly descriptor: Descriptor;
}

/**
 * Reads the inventory document and the descriptor and validates both against the logic book
 * (logic-book.md §1–3), reporting every problem at once: the source's own (Ansible parsing, a bad
 * `sim://` URL), the inventory's and the descriptor's, and then those of every rule.
 */
export function checkInputs(
  document: InventoryDocument,
  descriptorSource: string,
  logicBook: LogicBook,
  files: InputFiles,
): Result<CheckedInputs> {
  const problems: Problem[] = [...document.problems];
  let inventory: Inventory | undefined;
  if (document.value !== undefined && problems.length === 0) {
    const read = readInventory(document.value, files.inventory);
    if (read.ok) inventory = read.value;
    else
      problems.push(
        ...(document.format === 'ferry'
          ? read.problems
          : nameAnsibleHosts(read.problems, document.value, files.inventory)),
      );
  }
  if (document.value === undefined && problems.length === 0) {
    problems.push({
      code: 'INPUT.MISSING_KEY',
      file: files.inventory,
      path: '',
      message: 'the source gave no inventory',
    });
  }
  const descriptor = readDescriptor(descriptorSource, files.descriptor);
  if (!descriptor.ok) problems.push(...descriptor.problems);
  if (problems.length || !inventory || !descriptor.ok) return failed(problems);
  const ruleProblems = validateInputs(
    { inventory, descriptor: descriptor.value, logicBook },
    files,
  );
  if (ruleProblems.length)
    return failed(
      document.format === 'ferry'
        ? ruleProblems
        : nameAnsibleHosts(ruleProblems, document.value, files.inventory),
    );
  return ok({ inventory, descriptor: descriptor.value });
}
