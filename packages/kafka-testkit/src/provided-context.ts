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
    /** Connection string of the run's one real PostgreSQL (its `postgres` database). */
    postgresUrl: string;
    /** How the test kit got it: external (KAFKAKIT_TEST_POSTGRES_URL), docker or local. */
    postgresMode: 'external' | 'docker' | 'local';
  }
}
