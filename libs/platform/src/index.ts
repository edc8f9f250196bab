/** Shared service plumbing: environment, logging, NATS messaging, module and bootstrap. */
export * from './env/env';
export * from './logging/logger';
export * from './nats/messaging';
export * from './platform.module';
export * from './lifecycle/bootstrap';
export * from './nats/status-stream';
export * from './nats/problems-body';
