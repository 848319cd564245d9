#!/usr/bin/env node
// `pnpm kafka`: a real broker in the foreground for local development. Ctrl-C stops it and cleans up.
// `--fetch-only` downloads the broker jars into the cache and exits (CI warms the cache with it).
import { parseArgs } from 'node:util';
import { ensureBrokerJars } from './local/jars.js';
import { startKafka } from './start.js';
import { createTopics, parseTopicsArg, type TopicSpec } from './topics-arg.js';
import { DEFAULT_KAFKA_VERSION } from './versions.js';

const { values } = parseArgs({
  options: {
    'fetch-only': { type: 'boolean', default: false },
    port: { type: 'string' },
    nodes: { type: 'string' },
    version: { type: 'string' },
    topics: { type: 'string' },
    brokers: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  process.stdout.write(
    'Usage: pnpm kafka [--topics a,b:3] [--port 9092] [--nodes 3] [--version 4.4.0] [--fetch-only]\n' +
      '       pnpm kafka --topics a,b:3 --brokers localhost:9092\n' +
      'Starts a single-node Apache Kafka broker (KRaft) in the foreground; Ctrl-C stops it.\n' +
      '--topics a,b:3: creates these topics once it is up (partitions after ":", default 1).\n' +
      '--brokers host:port with --topics: creates the topics on a broker already running, then exits.\n' +
      '--nodes 3: a three-node KRaft cluster on free ports (replication factor 3, min.insync.replicas 2).\n',
  );
  process.exit(0);
}

let topics: TopicSpec[] = [];
try {
  topics = values.topics === undefined ? [] : parseTopicsArg(values.topics);
} catch (error) {
  process.stderr.write(`pnpm kafka: ${(error as Error).message}\n`);
  process.exit(2);
}

/** Creates the --topics on `brokers`, printing one line each; exits 1 naming the error. */
async function createGiven(brokers: string[]): Promise<void> {
  if (topics.length === 0) return;
  const lines = await createTopics(brokers, topics).catch((error: unknown) => {
    process.stderr.write(`pnpm kafka: could not create the topics: ${(error as Error).message}\n`);
    process.exit(1);
  });
  process.stdout.write(`Topics on ${brokers.join(',')}:\n${lines.join('\n')}\n`);
}

if (values.brokers !== undefined) {
  if (topics.length === 0) {
    process.stderr.write('pnpm kafka: --brokers is for creating --topics on a running broker\n');
    process.exit(2);
  }
  await createGiven(values.brokers.split(',').map((b) => b.trim()));
  process.exit(0);
}

const version = values.version ?? process.env.KAFKA_VERSION ?? DEFAULT_KAFKA_VERSION;
if (values['fetch-only']) {
  const jars = ensureBrokerJars(version);
  process.stdout.write(
    `Apache Kafka ${version} jars ${jars.fetched ? `fetched in ${(jars.ms / 1000).toFixed(1)} s` : 'already cached'}: ${jars.libDir}\n`,
  );
  process.exit(0);
}

const nodes = values.nodes === undefined ? 1 : Number(values.nodes);
const port = values.port === undefined ? 9092 : Number(values.port);
process.stdout.write(`Starting Apache Kafka ${version}${nodes > 1 ? ` (${nodes} nodes)` : ''} ...\n`);
const kafka = await startKafka({
  version,
  ...(nodes > 1 ? { nodes } : { port }),
  mode: process.env.KAFKAKIT_TEST_BROKERS ? undefined : 'local',
}).catch((error: unknown) => {
  process.stderr.write(`pnpm kafka: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
process.stdout.write(
  `Kafka ${kafka.version} is ready in ${(kafka.startupMs / 1000).toFixed(1)} s.\n` +
    `  bootstrap: ${kafka.brokers.join(',')}\n` +
    `  a service: KAFKA_BROKERS=${kafka.brokers.join(',')}; the tests: export KAFKAKIT_TEST_BROKERS=${kafka.brokers.join(',')}\n` +
    `${kafka.cluster ? kafka.cluster.nodes.map((n) => `  node ${n.id}: ${n.address} pid ${n.pid} log ${n.logFile}\n`).join('') : kafka.logFile ? `  log: ${kafka.logFile}\n` : ''}`,
);
await createGiven(kafka.brokers);
process.stdout.write('Press Ctrl-C to stop.\n');
const keepAlive = setInterval(() => undefined, 1 << 30);
let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  process.stdout.write(`\n${signal}: stopping the broker ...\n`);
  await kafka.stop();
  clearInterval(keepAlive);
  process.stdout.write('Stopped; data removed.\n');
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
