#!/usr/bin/env node
// The `kafkakit` bin: `kafkakit dlq inspect|show|redrive <dlq-topic>`. Exit codes: see usage-error.ts.
import { runCli } from './run.js';

const controller = new AbortController();
let signals = 0;
const onSignal = () => {
  // The first SIGINT/SIGTERM stops after the record in hand is acknowledged and committed; a second one exits now
  // (still safe: the write-ahead note of the chunk lets the next run find what was written).
  if (++signals > 1) process.exit(1);
  process.stderr.write('kafkakit: stopping after the record in hand (again to exit now)\n');
  controller.abort();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

const code = await runCli(process.argv.slice(2), {
  env: process.env,
  out: process.stdout,
  err: process.stderr,
  signal: controller.signal,
});
process.exitCode = code;
// KafkaJS can leave a timer behind after disconnect; do not let it hold the exit.
setTimeout(() => process.exit(code), 2000).unref();
