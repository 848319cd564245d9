import { defineConfig } from 'vitest/config';

const broker = { testTimeout: 60_000, hookTimeout: 120_000 };

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
        test: {
          name: 'unit',
          include: ['packages/*/test/unit/**/*.test.ts', 'generators/*/test/unit/**/*.test.ts'],
        },
      },
      {
        test: { name: 'integration', include: ['packages/*/test/integration/**/*.test.ts'], ...broker },
      },
      {
        test: { name: 'golden', include: ['generators/*/test/golden/**/*.test.ts'] },
      },
      {
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
