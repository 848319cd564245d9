import { defineConfig } from 'vitest/config';

const broker = { testTimeout: 60_000, hookTimeout: 120_000 };

/**
 * Workspace packages resolve through their `@kafkakit/source` export condition (TypeScript sources),
 * so tests never run a stale dist/; plain node (a built or deployed service) takes `default` -> dist/.
 * The rest of each list is Vite's default for that environment (setting `conditions` replaces it).
 */
const resolve = {
  resolve: { conditions: ['@kafkakit/source', 'module', 'browser', 'development|production'] },
  ssr: { resolve: { conditions: ['@kafkakit/source', 'module', 'node', 'development|production'] } },
};

/**
 * One run, four projects. The root globalSetup starts ONE real broker for the whole run (test kit:
 * KAFKA_BROKERS, then Docker, then a local KRaft JVM) and hands its address to every test through
 * `inject('kafkaBrokers')`. It starts nothing when only the unit project is selected.
 */
export default defineConfig({
  test: {
    globalSetup: ['packages/kafka-testkit/src/vitest-setup.ts'],
    projects: [
      {
        ...resolve,
        test: {
          name: 'unit',
          include: ['packages/*/test/unit/**/*.test.ts', 'generators/*/test/unit/**/*.test.ts'],
        },
      },
      {
        ...resolve,
        test: { name: 'integration', include: ['packages/*/test/integration/**/*.test.ts'], ...broker },
      },
      {
        ...resolve,
        test: { name: 'golden', include: ['generators/*/test/golden/**/*.test.ts'] },
      },
      {
        ...resolve,
        test: {
          name: 'e2e',
          include: ['generators/*/test/e2e/**/*.test.ts'],
          ...broker,
          testTimeout: 600_000,
        },
      },
    ],
  },
});
