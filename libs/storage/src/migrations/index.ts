import { InitialSchema1763700000000 } from './1763700000000-initial-schema';

/** Every migration, oldest first. Never edit one that has shipped: add a new one. */
export const MIGRATIONS = [InitialSchema1763700000000];
