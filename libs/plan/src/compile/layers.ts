import type { HostPhase } from '../model/inputs';

/**
 * A component's layer in a phase (logic-book.md, step 5): with `order`, item i is layer i; with
 * `after`, 0 without predecessors, else one more than its latest predecessor, over the whole
 * relation (so a constraint through a component without tasks still holds). Anything not mentioned
 * is layer 0. The relation is acyclic: validation rejects cycles before compiling.
 */
export function layering(phase: HostPhase): (component: string) => number {
  const layers = new Map<string, number>();
  if (phase.order) {
    phase.order.forEach((item, i) => item.forEach((c) => layers.set(c, i)));
  } else if (phase.after) {
    const after = phase.after;
    const layerOf = (c: string): number => {
      const known = layers.get(c);
      if (known !== undefined) return known;
      const predecessors = Object.prototype.hasOwnProperty.call(after, c) ? after[c] : [];
      const layer = predecessors.length ? 1 + Math.max(...predecessors.map(layerOf)) : 0;
      layers.set(c, layer);
      return layer;
    };
    Object.keys(after).forEach(layerOf);
  }
  return (component) => layers.get(component) ?? 0;
}
