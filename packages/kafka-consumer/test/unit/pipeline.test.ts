import { describe, expect, it } from 'vitest';
import { commitError } from '../../src/client/errors.js';
import { CommitPipeline } from '../../src/commit/pipeline.js';
import { TypedEmitter } from '../../src/events.js';
import { noopLogger } from '../../src/index.js';
import { OffsetTracker, type PendingOffset } from '../../src/processing/offsets.js';

function setup(send: (offsets: readonly PendingOffset[]) => Promise<void>) {
  const tracker = new OffsetTracker();
  const events = new TypedEmitter(noopLogger);
  const acked: string[] = [];
  events.on('offsets.committed', (e) => acked.push(e.offsets.map((o) => o.offset).join(',')));
  const failed: Error[] = [];
  const pipeline = new CommitPipeline(tracker, send, events, noopLogger, {
    withMetadata: false,
    attempts: 3,
    initialDelayMs: 1,
    onFailed: (e) => failed.push(e),
  });
  const part = tracker.partition('t', 0);
  const batch = part.add(Array.from({ length: 10 }, (_, i) => ({ offset: String(i) })));
  return { tracker, pipeline, part, batch, acked, failed };
}

/** A send whose calls the test completes by hand, in any order. */
function manualSend() {
  const calls: Array<{ offsets: string; resolve: () => void; reject: (e: unknown) => void }> = [];
  const send = (offsets: readonly PendingOffset[]) =>
    new Promise<void>((resolve, reject) =>
      calls.push({ offsets: offsets.map((o) => o.offset).join(','), resolve, reject }),
    );
  return { calls, send };
}

describe('commit pipeline', () => {
  it('keeps at most one commit in flight; finished offsets coalesce into the next one', async () => {
    const m = manualSend();
    const { pipeline, part, batch, acked } = setup(m.send);
    part.finish(batch, 0);
    pipeline.request('message');
    for (let i = 1; i < 5; i++) {
      part.finish(batch, i);
      pipeline.request('message');
    }
    expect(m.calls.map((c) => c.offsets)).toEqual(['1']);
    m.calls[0]?.resolve();
    await expect.poll(() => m.calls.length).toBe(2);
    expect(m.calls[1]?.offsets).toBe('5');
    m.calls[1]?.resolve();
    await expect.poll(() => acked).toEqual(['1', '5']);
  });

  it('flush waits for the commit in flight, then sends the latest offsets', async () => {
    const m = manualSend();
    const { pipeline, part, batch } = setup(m.send);
    part.finish(batch, 0);
    pipeline.request('message');
    part.finish(batch, 1);
    let flushed = false;
    const flush = pipeline.flush('rebalance').then((ok) => {
      flushed = ok;
    });
    m.calls[0]?.resolve();
    await expect.poll(() => m.calls.length).toBe(2);
    expect(flushed).toBe(false);
    m.calls[1]?.resolve();
    await flush;
    expect(flushed).toBe(true);
    expect(m.calls.map((c) => c.offsets)).toEqual(['1', '2']);
  });

  it('retries a transient commit failure in place and records only the acknowledged one', async () => {
    let tries = 0;
    const { pipeline, part, batch, acked, tracker } = setup(async () => {
      tries++;
      if (tries < 3) throw commitError(Object.assign(new Error('timeout'), { type: 'REQUEST_TIMED_OUT' }));
    });
    part.finish(batch, 0);
    expect(await pipeline.flush('batch')).toBe(true);
    expect(tries).toBe(3);
    expect(acked).toEqual(['1']);
    expect(tracker.partition('t', 0).committed).toBe(1n);
  });

  it('does not retry fencing: reported once, offsets stay pending', async () => {
    let tries = 0;
    const { pipeline, part, batch, failed, tracker } = setup(async () => {
      tries++;
      throw commitError(Object.assign(new Error('fenced'), { type: 'ILLEGAL_GENERATION' }));
    });
    part.finish(batch, 0);
    expect(await pipeline.flush('batch')).toBe(false);
    expect(tries).toBe(1);
    expect(failed.map((e) => e.name)).toEqual(['RebalanceError']);
    expect(tracker.pending(false)).toHaveLength(1);
  });
});
