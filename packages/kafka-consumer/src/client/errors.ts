import { ClientError, CommitError, RebalanceError, toError } from '../errors.js';

/**
 * How the adapter reads a KafkaJS failure. Decided here, where the error is made, by KafkaJS's own
 * protocol error types; nothing downstream inspects `error.type` again.
 * - 'rebalancing': a re-join is due (the group is rebalancing);
 * - 'moved': the group coordinator moved (KafkaJS re-joins on its next heartbeat; a commit retries);
 * - 'fenced': this member or its generation is no longer valid;
 * - 'transient': the request may succeed if sent again (timeouts, connections, coordinator loading);
 * - 'fatal': anything else (authorization, bad request...).
 */
export type ClientFailure = 'rebalancing' | 'moved' | 'fenced' | 'transient' | 'fatal';

const REBALANCING = new Set(['REBALANCE_IN_PROGRESS']);
const MOVED = new Set(['NOT_COORDINATOR_FOR_GROUP', 'NOT_COORDINATOR']);
/** Besides MOVED, what a coordinator answers when it no longer (or not yet) serves the group. */
const COORDINATOR_UNAVAILABLE = ['GROUP_COORDINATOR_NOT_AVAILABLE', 'COORDINATOR_NOT_AVAILABLE'];
const COORDINATOR_GONE = new Set([...MOVED, ...COORDINATOR_UNAVAILABLE]);
const UNREACHABLE = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSBrokerNotFound',
]);
const FENCED = new Set(['UNKNOWN_MEMBER_ID', 'ILLEGAL_GENERATION', 'FENCED_INSTANCE_ID']);
const TRANSIENT_TYPES = new Set([
  'REQUEST_TIMED_OUT',
  'COORDINATOR_NOT_AVAILABLE',
  'GROUP_COORDINATOR_NOT_AVAILABLE',
  'COORDINATOR_LOAD_IN_PROGRESS',
  'GROUP_LOAD_IN_PROGRESS',
  'NETWORK_EXCEPTION',
  'NOT_ENOUGH_REPLICAS',
  'NOT_ENOUGH_REPLICAS_AFTER_APPEND',
  'LEADER_NOT_AVAILABLE',
  'NOT_LEADER_FOR_PARTITION',
  'UNKNOWN_TOPIC_OR_PARTITION',
]);
const TRANSIENT_NAMES = new Set([
  'KafkaJSConnectionError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSConnectionClosedError',
  'KafkaJSNoBrokerAvailableError',
  'KafkaJSBrokerNotFound',
]);

interface KafkaJsLike {
  name?: unknown;
  type?: unknown;
  cause?: unknown;
  originalError?: unknown;
  retriable?: unknown;
}

/** Classifies an error thrown by a KafkaJS call (never called on errors thrown by a handler). */
export function classifyKafkaJsError(error: unknown): ClientFailure {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current !== null && typeof current === 'object'; depth++) {
    const e = current as KafkaJsLike;
    const type = typeof e.type === 'string' ? e.type : undefined;
    if (type !== undefined) {
      if (REBALANCING.has(type)) return 'rebalancing';
      if (MOVED.has(type)) return 'moved';
      if (FENCED.has(type)) return 'fenced';
      if (TRANSIENT_TYPES.has(type)) return 'transient';
    }
    if (typeof e.name === 'string' && TRANSIENT_NAMES.has(e.name)) return 'transient';
    current = e.originalError ?? e.cause;
  }
  const retriable = (error as KafkaJsLike | null)?.retriable;
  return retriable === true ? 'transient' : 'fatal';
}

/** A heartbeat failure as the runtime sees it: RebalanceError when a re-join is due, else ClientError. */
export function heartbeatError(cause: unknown): Error {
  const failure = classifyKafkaJsError(cause);
  const message = toError(cause).message;
  if (failure === 'rebalancing' || failure === 'moved' || failure === 'fenced')
    return new RebalanceError(`Heartbeat: ${message}`, failure === 'fenced' ? 'fenced' : 'rebalancing', {
      cause,
    });
  return new ClientError(`Heartbeat failed: ${message}`, { cause, retriable: failure === 'transient' });
}

/**
 * A commit failure: RebalanceError when the generation is over or rebalancing (stop work for a
 * re-join); otherwise a CommitError, retriable when sending it again may succeed (coordinator moved,
 * timeouts), which the commit pipeline retries in place.
 */
export function commitError(cause: unknown): Error {
  const failure = classifyKafkaJsError(cause);
  const message = toError(cause).message;
  if (failure === 'rebalancing' || failure === 'fenced')
    return new RebalanceError(`Offset commit: ${message}`, failure, { cause });
  return new CommitError(`Offset commit failed: ${message}`, {
    cause,
    retriable: failure === 'transient' || failure === 'moved',
  });
}

/**
 * How a KafkaJS error says the group coordinator is gone, for the coordinator failover: 'moved' (it
 * answered that it is not, or not yet, the coordinator), 'unreachable' (no connection), or neither.
 * Follows `originalError` only: a failed search's own error carries its last attempt as `cause` and
 * must not start another search.
 */
export function coordinatorLoss(error: unknown): 'moved' | 'unreachable' | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 3 && current !== null && typeof current === 'object'; depth++) {
    const e = current as KafkaJsLike;
    if (typeof e.type === 'string' && COORDINATOR_GONE.has(e.type)) return 'moved';
    if (typeof e.name === 'string' && UNREACHABLE.has(e.name)) return 'unreachable';
    current = e.originalError;
  }
  return undefined;
}
