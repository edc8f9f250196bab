/** Simulated clusters for `sim://` URLs: the CLI's `-i sim://…`, the collector and load tests. */
export * from './url';
export * from './simulate';
export { seededRandom, sampleIndices } from './prng';
