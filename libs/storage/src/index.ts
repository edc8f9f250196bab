/** Ferry's PostgreSQL storage: entities, migrations, and the repositories that hold all SQL. */
export * from './database/database-url';
export * from './database/ensure-database';
export * from './database/data-source';
export * from './entities';
export * from './migrations';
export * from './repositories/plan.repository';
export * from './repositories/run.repository';
export * from './repositories/report.repository';
export * from './repositories/heartbeat.repository';
export * from './repositories/project.repository';
export * from './repositories/snapshot.repository';
export * from './repositories/history.repository';
export * from './repositories/audit.repository';
export * from './cache/plan-cache';
export * from './cache/promise-cache';
