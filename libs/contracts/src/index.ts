/** What Ferry's services share: subjects, message and API DTOs, enums and error codes. */
export * from './subjects/subjects';
export * from './enums/task-state';
export * from './enums/run-state';
export * from './enums/role';
export * from './errors/error-codes';
export * from './validation/validate';
export * from './dto/job.dto';
export * from './dto/report.dto';
export * from './dto/progress.dto';
export * from './dto/control.dto';
export * from './dto/policy.dto';
export * from './dto/api.dto';
