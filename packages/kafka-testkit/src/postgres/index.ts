export { redactUrl } from './external.js';
export { postgresVersion } from './probe.js';
export { startPostgres } from './start.js';
export type { PostgresHandle, PostgresMode, PostgresServerControl, StartPostgresOptions } from './types.js';
