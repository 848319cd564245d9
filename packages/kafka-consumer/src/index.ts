export { type Codec, jsonCodec, rawCodec } from './codec.js';
export { type ConsumerDependencies, createConsumer, type KafkaConsumer } from './consumer.js';
export {
  buildDeadLetterHeaders,
  DLQ_HEADERS,
  DLQ_MESSAGE_LIMIT,
  DLQ_STACK_LIMIT,
  deadLetterTopicFor,
} from './dead-letter/headers.js';
export { REDRIVE_HEADERS, redriveOrigin } from './dead-letter/redrive-headers.js';
export { ENV_VARIABLES, type EnvOptions, type EnvVariable, loadOptionsFromEnv } from './env.js';
export {
  ClientError,
  CommitError,
  ConfigError,
  DeadLetterError,
  DecodeError,
  DependencyUnavailableError,
  DrainTimeoutError,
  type ErrorCode,
  KafkaConsumerError,
  NonRetryableError,
  PartitionStoppedError,
  RebalanceError,
  RetryTierError,
  ShareAcknowledgeError,
  ShareGroupError,
  TopicMissingError,
} from './errors.js';
export type { CommitReason, ConsumerEvents, EventName, Listener } from './events.js';
export type { ConsumerState } from './lifecycle.js';
export { createJsonLogger, type Logger, type LogLevel, noopLogger, serialiseError } from './logger.js';
export {
  type CommitOption,
  type CommitStrategyName,
  type ConsumerOptions,
  DEFAULTS,
  type DeadLetterOptions,
  type Ordering,
  type ResolvedOptions,
  type RetryOptions,
  resolveOptions,
  type SaslOptions,
  type ShutdownOptions,
} from './options.js';
export { NOT_FOR_SHARE } from './options-rules.js';
export { backoffCeiling, backoffDelay, shouldRetry } from './processing/retry.js';
export { buildTierHeaders, readTierHeaders, TIER_HEADERS } from './retry-tiers/headers.js';
export type { RetryTierInfo } from './retry-tiers/tiers.js';
export { createShareConsumer, type ShareConsumerOptions } from './share/share-consumer.js';
export { EXIT_CODES, type ExitCode } from './shutdown.js';
export { STOP_BOUND_MS } from './stop.js';
export type {
  ConsumedMessage,
  DependencyWaitReport,
  Handler,
  HealthReport,
  HealthStatus,
  MessageContext,
  MessageHeaders,
  ShutdownReport,
  TopicPartition,
} from './types.js';
