/**
 * Natural order (plan-format.md, "Canonical form"): digits compare as numbers, so `node2` sorts
 * before `node10`; ties under the collator are broken by plain code-unit comparison so the order
 * is total and identical on every machine.
 */
const collator = new Intl.Collator('en', { numeric: true });

export function naturalCompare(a: string, b: string): number {
  if (a === b) return 0;
  const byCollator = collator.compare(a, b);
  if (byCollator !== 0) return byCollator;
  return a < b ? -1 : 1;
}

/** A sorted copy; the input is left alone. */
export function sortNatural(values: Iterable<string>): string[] {
  return [...values].sort(naturalCompare);
}
