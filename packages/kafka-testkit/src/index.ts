export { dockerAnswers } from './docker.js';
export { TestkitError } from './errors.js';
export { parseBrokerList } from './external.js';
export type { ConsumedRecord, TestMessage } from './helpers.js';
export {
  consumeAll,
  createTopic,
  deleteByPrefix,
  deleteTopics,
  produceMessages,
  RUN_PREFIX_ENV,
  readCommittedOffsets,
  readEndOffsets,
  testClient,
  uniqueName,
  waitFor,
} from './helpers.js';
export type { JavaCompression, JavaRecord } from './java-producer.js';
export { produceWithJavaClient } from './java-producer.js';
export type { KafkaToolOptions, KafkaToolResult, RunningKafkaTool } from './kafka-tools.js';
export { alterGroupConfig, ensureKafkaToolsJar, runKafkaTool, startKafkaTool } from './kafka-tools.js';
export { ensureBrokerJars } from './local/jars.js';
export {
  type PostgresHandle,
  type PostgresMode,
  type PostgresServerControl,
  postgresVersion,
  redactUrl,
  type StartPostgresOptions,
  startPostgres,
} from './postgres/index.js';
export { metadataAnswers } from './probe.js';
export type { AclOperation, ClientTls, SecureKafkaHandle, SecureKafkaOptions } from './secure.js';
export { startSecureKafka } from './secure.js';
export { BATCH_HEADER, readRecordBatches, type SegmentBatch, segmentFiles } from './segments.js';
export { startKafka } from './start.js';
export type {
  BrokerMode,
  ClusterControl,
  ClusterNodeHandle,
  KafkaHandle,
  StartKafkaOptions,
} from './types.js';
export { DEFAULT_KAFKA_VERSION } from './versions.js';
export { type CopyWorkspaceOptions, copyWorkspace, type WorkspaceCopy } from './workspace.js';
