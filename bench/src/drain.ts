import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { produceMessages } from '@kafkakit/kafka-testkit';
import type { DrainChildReport, DrainSpec } from './child/drain.js';
import { createReadyTopic } from './seed.js';
import { nodeArgs, resultFileFor, track } from './spawn.js';

export const DRAIN_IN_FLIGHT = 100;

export interface DrainRound {
  round: number;
  /** Parent's clock: SIGTERM sent -> child process exited. */
  drainMs: number;
  exitCode: number | null;
  report: DrainChildReport;
}

/** One partition per in-flight handler, two messages each (the second must not start after SIGTERM). */
export async function seedDrainTopic(brokers: string[], topic: string): Promise<void> {
  await createReadyTopic(brokers, topic, DRAIN_IN_FLIGHT);
  await createReadyTopic(brokers, `${topic}.dlq`, 1);
  const messages = [];
  for (let i = 0; i < DRAIN_IN_FLIGHT * 2; i++) {
    messages.push({ value: `drain-${i}`, partition: i % DRAIN_IN_FLIGHT });
  }
  // A fresh 100-partition topic can answer UNKNOWN_TOPIC_OR_PARTITION for a moment after creation.
  for (let attempt = 1; ; attempt++) {
    try {
      await produceMessages(brokers, topic, messages);
      return;
    } catch (error) {
      if (attempt >= 10) throw error;
      process.stderr.write(`drain topic not writable yet (${String(error)}); retrying\n`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

/**
 * Starts the runtime in a child with 100 handlers in flight (499-1,985 ms each), sends it a real
 * SIGTERM and times SIGTERM -> process exit. The child's report adds the runtime's own duration and
 * the longest time a running handler still needed at the signal.
 */
export function runDrainRound(
  entry: string,
  brokers: string[],
  topic: string,
  groupId: string,
  round: number,
): Promise<DrainRound> {
  const resultFile = resultFileFor('drain');
  const spec: DrainSpec = { brokers, topic, groupId, inFlight: DRAIN_IN_FLIGHT, resultFile };
  const child = track(
    spawn(process.execPath, nodeArgs(entry), {
      env: { ...process.env, BENCH_SPEC: JSON.stringify(spec), BENCH_DRAIN: '1' },
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    }),
  );
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString()).slice(-3000);
  });
  let signalledAt = 0;
  child.on('message', (message: { type?: string }) => {
    if (message.type !== 'inflight' || signalledAt !== 0) return;
    signalledAt = performance.now();
    child.kill('SIGTERM');
  });
  return new Promise<DrainRound>((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      const drainMs = performance.now() - signalledAt;
      if (signalledAt === 0 || !existsSync(resultFile)) {
        reject(new Error(`drain child exited (${code}) before it was signalled:\n${stderr}`));
        return;
      }
      const report = JSON.parse(readFileSync(resultFile, 'utf8')) as DrainChildReport;
      rmSync(resultFile, { force: true });
      resolve({ round, drainMs, exitCode: code, report });
    });
  });
}
