import { naturalCompare } from '../order/natural';

/**
 * Tasks in a stage are ordered by id. Every id in one stage starts with the same `<host>_` and
 * ends with the same `_<action>[@release]`, and `_` is neither a digit nor part of a collation
 * contraction, so their natural order is the natural order of `<component>_<action>[@release]`
 * alone. That order is computed once per (action, release) as a rank per component, which turns a
 * million collator calls into integer comparisons.
 */
export class StageOrder {
  private readonly ranks = new Map<string, Map<string, number>>();

  constructor(private readonly components: Iterable<string>) {}

  rank(action: string, release: string | null): ReadonlyMap<string, number> {
    const suffix = release === null ? `_${action}` : `_${action}@${release}`;
    let ranks = this.ranks.get(suffix);
    if (!ranks) {
      const sorted = [...this.components].map((c) => c + suffix).sort(naturalCompare);
      ranks = new Map(sorted.map((key, i) => [key.slice(0, key.length - suffix.length), i]));
      this.ranks.set(suffix, ranks);
    }
    return ranks;
  }
}
