/** Stable machine-readable error codes. */
export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'NON_RETRYABLE'
  | 'DECODE_FAILED'
  | 'HANDLER_FAILED'
  | 'DEAD_LETTER_FAILED'
  | 'RETRY_TIER_FAILED'
  | 'PARTITION_STOPPED'
  | 'COMMIT_FAILED'
  | 'CLIENT_FAILED'
  | 'AUTHENTICATION_FAILED'
  | 'AUTHORIZATION_FAILED'
  | 'TLS_FAILED'
  | 'REBALANCING'
  | 'TOPIC_MISSING'
  | 'DRAIN_TIMEOUT'
  | 'DEPENDENCY_UNAVAILABLE'
  | 'STATE_INVALID'
  | 'SHARE_GROUPS_UNAVAILABLE'
  | 'GROUP_TYPE_CONFLICT'
  | 'SHARE_GROUP_FAILED'
  | 'ACKNOWLEDGE_FAILED';

interface ErrorInit {
  cause?: unknown;
  retriable?: boolean;
}

/** Base class of every error the runtime throws or emits. Wrapped client errors are kept as `cause`. */
export class KafkaConsumerError extends Error {
  readonly code: ErrorCode;
  readonly retriable: boolean;

  constructor(code: ErrorCode, message: string, init: ErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'KafkaConsumerError';
    this.code = code;
    this.retriable = init.retriable ?? false;
  }
}

/**
 * Throw this from a handler when retrying cannot help (bad data, business rule violation):
 * the message skips the remaining retries and goes straight to the dead-letter queue.
 */
export class NonRetryableError extends KafkaConsumerError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('NON_RETRYABLE', message, { cause: options.cause, retriable: false });
    this.name = 'NonRetryableError';
  }
}

/** The configured codec could not decode a message value. Never retried. */
export class DecodeError extends NonRetryableError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'DecodeError';
    Object.defineProperty(this, 'code', { value: 'DECODE_FAILED' });
  }
}

/** An option or environment variable is invalid. `issues` lists every problem with its fix. */
export class ConfigError extends KafkaConsumerError {
  readonly issues: readonly string[];

  constructor(issues: readonly string[], options: { cause?: unknown } = {}) {
    super('CONFIG_INVALID', `Invalid consumer configuration:\n  - ${issues.join('\n  - ')}`, {
      cause: options.cause,
    });
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/** Writing a message to the dead-letter topic failed; the source offset stays uncommitted. */
export class DeadLetterError extends KafkaConsumerError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('DEAD_LETTER_FAILED', message, { cause: options.cause, retriable: true });
    this.name = 'DeadLetterError';
  }
}

/** Writing a failed message to its retry tier failed (after the write attempts): nothing was committed. */
export class RetryTierError extends KafkaConsumerError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('RETRY_TIER_FAILED', message, { cause: options.cause, retriable: true });
    this.name = 'RetryTierError';
  }
}

/** A message exhausted its retries with the dead-letter queue disabled: its partition is stopped. */
export class PartitionStoppedError extends KafkaConsumerError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('PARTITION_STOPPED', message, { cause: options.cause });
    this.name = 'PartitionStoppedError';
  }
}

/** Committing offsets failed (rebalance in progress, fenced member, broker error). */
export class CommitError extends KafkaConsumerError {
  constructor(message: string, options: { cause?: unknown; retriable?: boolean } = {}) {
    super('COMMIT_FAILED', message, { cause: options.cause, retriable: options.retriable ?? true });
    this.name = 'CommitError';
  }
}

/** The underlying Kafka client failed (connection, group membership, crash). */
export class ClientError extends KafkaConsumerError {
  constructor(message: string, options: { cause?: unknown; retriable?: boolean } = {}) {
    super('CLIENT_FAILED', message, options);
    this.name = 'ClientError';
  }
}

/**
 * The group is rebalancing or this member's generation is over (fenced). Only the client adapter
 * creates it, from its own heartbeat and commit failures: it is the one type that means "stop work
 * for a re-join". Errors a handler throws are handler failures, whatever fields they carry.
 */
export class RebalanceError extends KafkaConsumerError {
  /** 'rebalancing': a re-join is due; 'fenced': this member is unknown or its generation is stale. */
  readonly kind: 'rebalancing' | 'fenced';

  constructor(message: string, kind: 'rebalancing' | 'fenced', options: { cause?: unknown } = {}) {
    super('REBALANCING', message, { cause: options.cause, retriable: true });
    this.name = 'RebalanceError';
    this.kind = kind;
  }
}

/** A topic the consumer needs (e.g. a dead-letter topic) does not exist and may not be created. */
export class TopicMissingError extends KafkaConsumerError {
  readonly topic: string;

  constructor(topic: string, message: string, options: { cause?: unknown } = {}) {
    super('TOPIC_MISSING', message, { cause: options.cause });
    this.name = 'TopicMissingError';
    this.topic = topic;
  }
}

/** Handed to handlers through `signal.reason` when the drain deadline passed during shutdown. */
export class DrainTimeoutError extends KafkaConsumerError {
  constructor(message: string) {
    super('DRAIN_TIMEOUT', message);
    this.name = 'DrainTimeoutError';
  }
}

/**
 * Throw this from a handler when something it needs (a database, an API) cannot be reached: the
 * message is not at fault. The runtime retries it with capped backoff for as long as it takes (until
 * shutdown), never dead-letters it and does not count those tries against `retry.maxRetries`;
 * `health().waitingForDependency` shows it meanwhile.
 */
export class DependencyUnavailableError extends KafkaConsumerError {
  /** What is unavailable, e.g. 'postgres' (health and metrics name it). */
  readonly dependency: string;

  constructor(message: string, options: { cause?: unknown; dependency?: string } = {}) {
    super('DEPENDENCY_UNAVAILABLE', message, { cause: options.cause, retriable: true });
    this.name = 'DependencyUnavailableError';
    this.dependency = options.dependency ?? 'dependency';
  }
}

/**
 * A share group (KIP-932) cannot be used: the broker has none (older than 4.1, or `share.version`
 * is 0), the group id belongs to a classic or consumer group (`GROUP_TYPE_CONFLICT`), the ACLs
 * deny it (`AUTHORIZATION_FAILED`), or the membership failed otherwise. The message names the cause
 * and the fix.
 */
export class ShareGroupError extends KafkaConsumerError {
  constructor(
    code: 'SHARE_GROUPS_UNAVAILABLE' | 'GROUP_TYPE_CONFLICT' | 'AUTHORIZATION_FAILED' | 'SHARE_GROUP_FAILED',
    message: string,
    options: { cause?: unknown; retriable?: boolean } = {},
  ) {
    super(code, message, options);
    this.name = 'ShareGroupError';
  }
}

/**
 * The broker did not take an acknowledgement (the acquisition lock ran out, the share session was
 * reset): the record goes, or went, back to the group and is delivered again.
 */
export class ShareAcknowledgeError extends KafkaConsumerError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('ACKNOWLEDGE_FAILED', message, { cause: options.cause, retriable: false });
    this.name = 'ShareAcknowledgeError';
  }
}

/** Narrows an unknown thrown value to an Error without losing it. */
export function toError(value: unknown): Error {
  if (value instanceof Error) return value;
  return new Error(typeof value === 'string' ? value : `Non-error value thrown: ${String(value)}`, {
    cause: value,
  });
}

/** True for errors that must skip retries (NonRetryableError and subclasses, or `retriable === false` markers). */
export function isNonRetryable(error: unknown): boolean {
  return error instanceof NonRetryableError;
}
