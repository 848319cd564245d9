export {
  createPostgresInbox,
  type DuplicateSkipped,
  type InboxContext,
  type InboxHandler,
  type PostgresInbox,
} from './inbox.js';
export { INBOX_DEFAULTS, type InboxClient, type InboxPool, type PostgresInboxOptions } from './options.js';
export { DEFAULT_INBOX_TABLE, inboxMigration } from './sql.js';
export { classifyPostgresError, isPostgresUnavailable } from './unavailable.js';
