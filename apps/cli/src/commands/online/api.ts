/**
 * The API layer (`apps/cli/src/api`) as the online commands and their views see it: one import
 * path for all of it, however deep the importing file sits.
 */
export * from '../../api/client';
export * from '../../api/errors';
export * from '../../api/sse';
export * from '../../api/types';
