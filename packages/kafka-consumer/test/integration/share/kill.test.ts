import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { alterGroupConfig, uniqueName } from '@kafkakit/kafka-testkit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createShareConsumer, type KafkaConsumer, noopLogger } from '../../../src/index.js';
import { childOutput } from '../child-output.js';
import { brokers, produceBatches, topic } from './support.js';

const fixture = fileURLToPath(new URL('../../fixtures/share-consumer.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../../../', import.meta.url));
const LOCK_MS = 2000;
const children: ChildProcess[] = [];
const consumers: KafkaConsumer[] = [];

afterEach(async () => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await Promise.all(consumers.splice(0).map((c) => c.disconnect()));
});

describe('share groups: a member killed mid-stream', () => {
  it('SIGKILL: its acquired records go to the other member (at once: its connection closed; at the latest after the lock), none lost', async () => {
    const name = await topic('kc-share-kill');
    const groupId = uniqueName('kc-share-kill');
    await alterGroupConfig(brokers(), groupId, {
      'share.auto.offset.reset': 'earliest',
      'share.record.lock.duration.ms': String(LOCK_MS),
    });
    const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
      cwd: repoRoot,
      env: { ...process.env, BROKERS: brokers().join(','), TOPIC: name, GROUP_ID: groupId },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    const { lines } = childOutput(child);
    await vi.waitFor(() => expect(lines).toContain('READY'), { timeout: 30_000 });
    const survivor: Array<[string, number, number]> = [];
    const other = createShareConsumer({
      brokers: brokers(),
      groupId,
      topics: [name],
      maxWaitTimeMs: 200,
      deadLetter: false,
      logger: noopLogger,
      shutdown: { signals: [], drainTimeoutMs: 3000 },
      handler: async ({ message, attempt }) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        survivor.push([message.value?.toString() ?? '', attempt, Date.now()]);
      },
    });
    consumers.push(other);
    await other.run();
    const sent = await produceBatches(name, 40, 5);
    const killedDone = () => lines.filter((l) => l.startsWith('DONE ')).map((l) => l.split(' ')[1] as string);
    await vi.waitFor(() => expect(killedDone().length).toBeGreaterThanOrEqual(20), { timeout: 30_000 });
    child.kill('SIGKILL');
    const killedAt = Date.now();
    await new Promise((resolve) => child.once('exit', resolve));
    const byKilled = killedDone();
    const processed = () => new Set([...byKilled, ...survivor.map(([v]) => v)]);
    await vi.waitFor(() => expect(processed().size).toBe(sent.length), { timeout: 30_000, interval: 100 });
    const lost = sent.filter((v) => !processed().has(v));
    const twice = survivor.filter(([v]) => byKilled.includes(v)).length;
    const redelivered = survivor.filter(([, attempt]) => attempt >= 2);
    expect(lost).toEqual([]);
    // Nothing came back before the kill; after it, the killed member's acquired records did.
    expect(redelivered.filter(([, , at]) => at < killedAt)).toEqual([]);
    expect(redelivered.length).toBeGreaterThan(0);
    console.info(
      `[share kill] killed member finished ${byKilled.length}, survivor ${survivor.length} (${redelivered.length} redelivered with attempt >= 2, ${twice} of them already finished by the killed member: its acknowledgements died with it); lost 0; all done ${Date.now() - killedAt} ms after the kill (lock ${LOCK_MS} ms)`,
    );
  });
});
