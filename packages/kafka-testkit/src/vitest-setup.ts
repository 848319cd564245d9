import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { deleteByPrefix, RUN_PREFIX_ENV } from './helpers.js';
import { redactUrl, startPostgres } from './postgres/index.js';
import type {} from './provided-context.js';
import { startKafka } from './start.js';

const NEEDS_NO_BROKER = new Set(['unit', 'golden']);

/**
 * Vitest globalSetup: starts ONE real broker and ONE real PostgreSQL for the whole run (side by side)
 * and provides their addresses to every test (`inject('kafkaBrokers')`, `inject('postgresUrl')`).
 * Starts nothing when every selected project is broker-free. Never skips: no broker or no database
 * means the run fails with the reason.
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const names = project.vitest.projects.map((p) => p.name);
  if (names.length > 0 && names.every((name) => NEEDS_NO_BROKER.has(name))) return undefined;
  const [kafkaStart, postgresStart] = await Promise.allSettled([startKafka(), startPostgres()]);
  if (kafkaStart.status === 'rejected' || postgresStart.status === 'rejected') {
    if (kafkaStart.status === 'fulfilled') await kafkaStart.value.stop();
    if (postgresStart.status === 'fulfilled') await postgresStart.value.stop();
    throw kafkaStart.status === 'rejected'
      ? kafkaStart.reason
      : (postgresStart as PromiseRejectedResult).reason;
  }
  const kafka = kafkaStart.value;
  const postgres = postgresStart.value;
  // On a shared cluster (KAFKAKIT_TEST_BROKERS) every topic and group of this run carries one prefix,
  // and the teardown deletes what has it. A broker started for the run dies with its data anyway.
  const runPrefix =
    kafka.mode === 'external' && process.env[RUN_PREFIX_ENV] === undefined
      ? `kktest-${randomBytes(4).toString('hex')}-`
      : undefined;
  if (runPrefix !== undefined) process.env[RUN_PREFIX_ENV] = runPrefix;
  const detail =
    kafka.mode === 'local'
      ? `local KRaft JVM pid ${kafka.pid}, started in ${(kafka.startupMs / 1000).toFixed(1)} s${
          kafka.jarsFetchedMs !== undefined
            ? ` (jars fetched in ${(kafka.jarsFetchedMs / 1000).toFixed(1)} s)`
            : ', cached jars'
        }`
      : `${kafka.mode}, ready in ${(kafka.startupMs / 1000).toFixed(1)} s`;
  process.stdout.write(
    `[kafka-testkit] Apache Kafka ${kafka.version} at ${kafka.brokers.join(',')} (${detail})\n`,
  );
  project.provide('kafkaBrokers', kafka.brokers);
  project.provide('kafkaVersion', kafka.version);
  project.provide('kafkaMode', kafka.mode);
  project.provide('kafkaLogDir', kafka.logDir ?? '');
  process.stdout.write(
    `[kafka-testkit] PostgreSQL ${postgres.version} at ${redactUrl(postgres.url)} (${postgres.mode}, ready in ${(postgres.startupMs / 1000).toFixed(1)} s)\n`,
  );
  project.provide('postgresUrl', postgres.url);
  project.provide('postgresMode', postgres.mode);
  return async () => {
    if (runPrefix !== undefined) {
      const removed = await deleteByPrefix(kafka.brokers, runPrefix);
      process.stdout.write(
        `[kafka-testkit] deleted ${removed.topics} topic(s) and ${removed.groups} group(s) named ${runPrefix}*\n`,
      );
      delete process.env[RUN_PREFIX_ENV];
    }
    await Promise.all([kafka.stop(), postgres.stop()]);
    process.stdout.write('[kafka-testkit] broker and PostgreSQL stopped\n');
  };
}
