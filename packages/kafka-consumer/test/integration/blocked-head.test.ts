import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { produceMessages, readCommittedOffsets, uniqueName, waitFor } from '@kafkakit/kafka-testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { childOutput } from './child-output.js';
import { brokers, topic } from './support.js';

const fixture = fileURLToPath(new URL('../fixtures/blocked-consumer.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

function start(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
    cwd: repoRoot,
    env: { ...process.env, HEALTH_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const { lines, stderr } = childOutput(child);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const port = async () => {
    await waitFor(() => lines.some((l) => l.startsWith('LISTENING ')), {
      timeoutMs: 30_000,
      message: 'health server',
    });
    return Number((lines.find((l) => l.startsWith('LISTENING ')) as string).split(' ')[1]);
  };
  const done = () =>
    Math.max(0, ...lines.filter((l) => l.startsWith('DONE ')).map((l) => Number(l.split(' ')[1])));
  return { child, lines, stderr, exited, port, done };
}

/** GET /readyz with a 1 s bound; the time it took and the problems it lists. */
async function readyz(port: number): Promise<{ ms: number; problems: string[] }> {
  const began = Date.now();
  const res = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(1000) });
  const body = (await res.json()) as { problems: string[] };
  return { ms: Date.now() - began, problems: body.problems };
}

describe('a stuck head behind a hot key (real broker)', () => {
  it('4,000 messages, key ordering, per-message: blocked behind offset 0, yet timers, /readyz and SIGTERM answer within 1 s; after the head is released everything is committed', async () => {
    const source = await topic('kc-blocked', 1);
    // The hot key on every even offset (its head hangs), a key of its own on every odd one: ~2,000
    // single finished offsets above the head, far more than the commit metadata carries.
    await produceMessages(
      brokers(),
      source,
      Array.from({ length: 4000 }, (_, i) => ({ key: i % 2 === 0 ? 'hot' : `k${i}`, value: `m${i}` })),
    );
    const groupId = uniqueName('kc-blocked-group');
    const first = start({ BROKERS: brokers().join(','), TOPIC: source, GROUP_ID: groupId, STUCK: '1' });
    const port = await first.port();
    await waitFor(() => first.done() >= 1000, {
      timeoutMs: 30_000,
      message: 'other keys finished above the stuck head',
    });
    await waitFor(async () => (await readyz(port)).problems.some((p) => /blocked behind offset 0/.test(p)), {
      timeoutMs: 10_000,
      message: '/readyz names the partition blocked behind offset 0',
    });
    const probe = await readyz(port);
    expect(probe.ms).toBeLessThan(1000);
    const ticks = first.lines.filter((l) => l === 'TICK').length;
    await waitFor(() => first.lines.filter((l) => l === 'TICK').length >= ticks + 3, {
      timeoutMs: 1500,
      message: 'the 200 ms timer keeps firing while the partition is blocked',
    });
    const signalled = Date.now();
    first.child.kill('SIGTERM');
    await waitFor(() => first.lines.includes('DRAINING'), { timeoutMs: 1000, message: 'SIGTERM answered' });
    expect(Date.now() - signalled).toBeLessThan(1000);
    first.child.kill('SIGUSR2'); // the head finishes inside the drain; the process exits
    expect(await first.exited).toBe(0);
    // A second member of the group consumes the rest: everything ends up committed.
    const second = start({ BROKERS: brokers().join(','), TOPIC: source, GROUP_ID: groupId, STUCK: '0' });
    await waitFor(async () => (await readCommittedOffsets(brokers(), groupId, source))[0] === '4000', {
      timeoutMs: 30_000,
      message: 'committed to the end',
    });
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 90_000);
});
