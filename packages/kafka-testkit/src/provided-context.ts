import type {} from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Bootstrap addresses of the run's one real broker. */
    kafkaBrokers: string[];
    /** Its Kafka version. */
    kafkaVersion: string;
    /** How the test kit got it: external (KAFKAKIT_TEST_BROKERS), docker or local. */
    kafkaMode: 'external' | 'docker' | 'local';
    /** The broker's `log.dirs` when the test kit runs it here (local mode), else ''. */
    kafkaLogDir: string;
  }
}
