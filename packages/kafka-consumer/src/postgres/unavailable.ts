import { DependencyUnavailableError } from '../errors.js';

/**
 * SQLSTATEs that say "the database is not available right now", not "this message is bad":
 * class 08 (connection exceptions), 53 (insufficient resources: too many connections 53300, out of
 * memory, disk full), 57P01-57P03 (admin shutdown, crash shutdown, cannot connect now: starting up or
 * in recovery), 40001 serialization failure and 40P01 deadlock (the transaction may simply be re-run).
 */
const SQLSTATE_CLASSES = new Set(['08', '53']);
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '40001', '40P01']);

/** Node socket errors of a server that is down or unreachable. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** node-postgres' own messages for a lost or unobtainable connection (they carry no code). */
const PG_MESSAGES = [
  /^Connection terminated/,
  /timeout exceeded when trying to connect/,
  /is not queryable/,
  /Cannot use a pool after calling end on the pool/,
  /^Query read timeout$/,
];

function availabilityProblem(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (SQLSTATES.has(code) || SOCKET_CODES.has(code)) return true;
    if (code.length === 5 && SQLSTATE_CLASSES.has(code.slice(0, 2))) return true;
  }
  if (error instanceof AggregateError && error.errors.some(availabilityProblem)) return true;
  return typeof message === 'string' && PG_MESSAGES.some((pattern) => pattern.test(message));
}

/**
 * True when `error` (or an error in its `cause` chain) means PostgreSQL is unavailable: a connection
 * that fails or breaks, a shutdown, too many connections, a serialization failure or a deadlock.
 */
export function isPostgresUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current !== undefined && current !== null; depth++) {
    if (availabilityProblem(current)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** `error` as a DependencyUnavailableError (dependency 'postgres') when it is one; else unchanged. */
export function classifyPostgresError(error: unknown): unknown {
  if (error instanceof DependencyUnavailableError || !isPostgresUnavailable(error)) return error;
  const detail = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown }).code;
  return new DependencyUnavailableError(
    `PostgreSQL unavailable${typeof code === 'string' ? ` (${code})` : ''}: ${detail}`,
    { cause: error, dependency: 'postgres' },
  );
}
