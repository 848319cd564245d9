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
export { ensureBrokerJars } from './local/jars.js';
export { metadataAnswers } from './probe.js';
export { startKafka } from './start.js';
export type { BrokerMode, KafkaHandle, StartKafkaOptions } from './types.js';
export { DEFAULT_KAFKA_VERSION } from './versions.js';
export { type CopyWorkspaceOptions, copyWorkspace, type WorkspaceCopy } from './workspace.js';
