import { produceMessages, readCommittedOffsets, uniqueName, waitFor } from '@kafkakit/kafka-testkit';
import { describe, expect, it } from 'vitest';
import type { MessageContext } from '../../src/index.js';
import { brokers, consumer, topic } from './support.js';

const TOTAL = 12_000;
const BUFFER = 200;

describe('a hot key with bounded memory (real broker)', () => {
  it("key ordering, half the messages on one slow key, a 200-message buffer: the other keys run far past the hot key's buffered share, the hot key's let-go messages are read again in order, each message is handled once and everything is committed", async () => {
    const source = await topic('kc-hot', 1);
    // Every even offset on key 'hot' (2 ms each, serial), the odd ones over 100 quick keys.
    await produceMessages(
      brokers(),
      source,
      Array.from({ length: TOTAL }, (_, i) => ({ key: i % 2 === 0 ? 'hot' : `k${i % 100}`, value: `m${i}` })),
    );
    const seen = new Map<number, number>();
    const lastOfKey = new Map<string, number>();
    const disorder: string[] = [];
    let hotDone = 0;
    let othersDone = 0;
    let hotDoneWhenOthersFinished = -1;
    const handler = async ({ message }: MessageContext) => {
      const offset = Number(message.offset);
      const key = String(message.key);
      seen.set(offset, (seen.get(offset) ?? 0) + 1);
      const last = lastOfKey.get(key);
      if (last !== undefined && last >= offset) disorder.push(`${key}: ${offset} after ${last}`);
      lastOfKey.set(key, offset);
      if (key === 'hot') {
        await new Promise((resolve) => setTimeout(resolve, 2));
        hotDone++;
      } else if (++othersDone === TOTAL / 2) hotDoneWhenOthersFinished = hotDone;
    };
    const groupId = uniqueName('kc-hot-group');
    const c = consumer({
      groupId,
      topics: [source],
      ordering: 'key',
      concurrency: 16,
      maxBufferedPerPartition: BUFFER,
      commit: { strategy: 'per-batch' },
      handler,
    });
    await c.run();
    await waitFor(() => othersDone === TOTAL / 2, { timeoutMs: 60_000, message: 'the other keys finished' });
    // Without letting go, the other keys could run at most one buffer (200) ahead of the hot key:
    // at about 100 other-key messages per 100 hot ones.
    expect(hotDoneWhenOthersFinished).toBeGreaterThanOrEqual(0);
    expect(hotDoneWhenOthersFinished).toBeLessThan(TOTAL / 2 - 4 * BUFFER);
    // While the hot key runs, its progress is committed (each read of its let-go messages is a batch).
    await waitFor(
      async () => Number((await readCommittedOffsets(brokers(), groupId, source))[0] ?? -1) >= 2000,
      { timeoutMs: 30_000, message: "the hot key's progress committed" },
    );
    expect(hotDone).toBeLessThan(TOTAL / 2);
    await waitFor(() => hotDone === TOTAL / 2, { timeoutMs: 90_000, message: 'the hot key finished' });
    await waitFor(async () => (await readCommittedOffsets(brokers(), groupId, source))[0] === String(TOTAL), {
      timeoutMs: 30_000,
      message: 'committed to the end',
    });
    expect(disorder).toEqual([]);
    expect(seen.size).toBe(TOTAL);
    expect([...seen.values()].filter((n) => n !== 1)).toEqual([]);
  }, 150_000);
});
