/**
 * Ferry's pure core: reads and validates the inputs, compiles the global plan, slices it, checks
 * edited plans and renders them. No framework, database, broker or Node I/O in here (lint-enforced).
 */
export * from './problems/codes';
export * from './problems/problem';
export * from './order/natural';
export * from './model/inputs';
export * from './model/plan';
export * from './input/parse';
export * from './input/read';
export * from './input/read-plan';
export * from './validate/validate';
export * from './compile/compile';
export * from './compile/cluster';
export * from './check/check-plan';
export * from './check/canonical';
export * from './check/instance-walk';
export * from './slice/command';
export * from './slice/slice';
export * from './format/plan-json';
export * from './sources';
export * from './sim';
export * from './format/text';
export * from './format/mermaid';
