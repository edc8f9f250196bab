import type { Descriptor, InputFiles, Inventory, LogicBook } from '../model/inputs';
import type { Problem } from '../problems/problem';

/** A rule states one invariant of the inputs and returns every place that breaks it. */
export type Rule<T> = (subject: T, files: InputFiles) => Problem[];

export interface Inputs {
  readonly inventory: Inventory;
  readonly descriptor: Descriptor;
  readonly logicBook: LogicBook;
}

/** Groups items by key, keeping first-seen order; used to find duplicates. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  items.forEach((item, index) => {
    const k = key(item);
    const seen = groups.get(k);
    if (seen) seen.push(index);
    else groups.set(k, [index]);
  });
  return groups;
}

export function quoteList(values: Iterable<string>): string {
  return [...values].map((v) => JSON.stringify(v)).join(', ');
}
