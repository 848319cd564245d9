import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { produceMessages, readCommittedOffsets, uniqueName, waitFor } from '@kafkakit/kafka-testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../src/index.js';
import { childOutput } from './child-output.js';
import { brokers, consumer, topic } from './support.js';

const fixture = fileURLToPath(new URL('../fixtures/signal-consumer.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

interface Running {
  child: ChildProcess;
  lines: string[];
  exited: Promise<{ code: number | null; at: number }>;
}

function startFixture(env: Record<string, string>): Running {
  // tsx is resolved from the repository root (cwd), where it is installed.
  const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const { lines, stderr } = childOutput(child);
  const exited = new Promise<{ code: number | null; at: number }>((resolve) => {
    child.on('exit', (code) => {
      if (code !== 0 && process.env.KC_TEST_LOG !== undefined) process.stderr.write(stderr());
      resolve({ code, at: Date.now() });
    });
  });
  return { child, lines, exited };
}

async function setup(mode: 'slow' | 'stuck', drainTimeoutMs: number) {
  const source = await topic('kc-signal');
  await produceMessages(brokers(), source, 4);
  const groupId = uniqueName('kc-signal-group');
  const run = startFixture({
    BROKERS: brokers().join(','),
    TOPIC: source,
    GROUP_ID: groupId,
    MODE: mode,
    DRAIN_TIMEOUT_MS: String(drainTimeoutMs),
  });
  await waitFor(() => run.lines.includes('START 1'), {
    timeoutMs: 30_000,
    message: 'child is handling offset 1',
  });
  return { source, groupId, ...run };
}

async function redelivered(source: string, groupId: string, count: number): Promise<string[]> {
  const seen: string[] = [];
  const next = consumer({
    topics: [source],
    groupId,
    handler: ({ message }) => void seen.push(message.offset),
  });
  await next.run();
  await waitFor(() => seen.length >= count, { message: `next consumer got ${count} messages` });
  await next.disconnect();
  return seen;
}

describe('signals (child process, real SIGTERM)', () => {
  it('SIGTERM drains the in-flight handler, commits it and exits 0', async () => {
    const { child, lines, exited, source, groupId } = await setup('slow', 10_000);
    child.kill('SIGTERM');
    const { code } = await exited;
    expect(code).toBe(EXIT_CODES.OK);
    expect(lines).toContain('DONE 1');
    expect(lines).not.toContain('START 2');
    expect((await readCommittedOffsets(brokers(), groupId, source))[0]).toBe('2');
    expect(await redelivered(source, groupId, 2)).toEqual(['2', '3']);
  });

  it('a handler that never resolves: exits with DRAIN_TIMEOUT within drainTimeoutMs + 2 s and the message is redelivered', async () => {
    const drainTimeoutMs = 1000;
    const { child, exited, source, groupId } = await setup('stuck', drainTimeoutMs);
    const sent = Date.now();
    child.kill('SIGTERM');
    const { code, at } = await exited;
    expect(code).toBe(EXIT_CODES.DRAIN_TIMEOUT);
    expect(at - sent).toBeGreaterThanOrEqual(drainTimeoutMs - 50);
    expect(at - sent).toBeLessThan(drainTimeoutMs + 2000);
    expect((await readCommittedOffsets(brokers(), groupId, source))[0]).toBe('1');
    expect(await redelivered(source, groupId, 3)).toEqual(['1', '2', '3']);
  });

  it('a second signal during the drain forces an immediate exit', async () => {
    const { child, lines, exited } = await setup('stuck', 30_000);
    const sent = Date.now();
    child.kill('SIGTERM');
    // The second signal must arrive during the drain: wait until the child says the drain began.
    await waitFor(() => lines.includes('DRAINING'), { message: 'the drain began' });
    child.kill('SIGINT');
    const { code, at } = await exited;
    expect(code).toBe(EXIT_CODES.FORCED);
    expect(at - sent).toBeLessThan(2000);
  });
});
