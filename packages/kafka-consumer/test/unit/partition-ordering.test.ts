import { describe, expect, it, vi } from 'vitest';
import { commitError, heartbeatError } from '../../src/client/errors.js';
import { MAX_CRASH_RESTARTS } from '../../src/group/supervisor.js';
import { ClientError, createConsumer, EXIT_CODES } from '../../src/index.js';
import { fakeClient, options } from './support/fake-client.js';

/** What KafkaJS throws, classified by the real adapter's classifier (as the KafkaJS client port does). */
const kafkaJs = (type: string) => Object.assign(new Error(type), { name: 'KafkaJSProtocolError', type });
const rebalancing = () => heartbeatError(kafkaJs('REBALANCE_IN_PROGRESS'));

describe('partition ordering on the scheduler (fake client)', () => {
  it('on a rebalance mid-batch: starts nothing more, commits what finished before the re-join, starts nothing until re-assigned', async () => {
    const fake = fakeClient();
    const seen: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const c = createConsumer(
      options(async ({ message }) => {
        seen.push(message.offset);
        if (message.offset === '1') await gate;
      }),
      { clientFactory: fake.factory },
    );
    await c.run();
    await fake.hooks().onBatch(fake.batch([0, 1, 2, 3]));
    await vi.waitFor(() => expect(seen).toEqual(['0', '1']));
    fake.hooks().onRebalancing();
    expect(c.health().state).toBe('rebalancing');
    release();
    // The client waits for this before it sends its JoinGroup.
    await fake.hooks().beforeJoin();
    expect(seen).toEqual(['0', '1']);
    expect(fake.commits).toEqual([{ offsets: [{ topic: 't', partition: 0, offset: '2' }] }]);
    fake.hooks().onAssigned([{ topic: 't', partition: 0 }]);
    await fake.hooks().onBatch(fake.batch([2, 3]));
    await vi.waitFor(() => expect(seen).toEqual(['0', '1', '2', '3']));
    await c.disconnect();
  });

  it('a handler error carrying a KafkaJS rebalance `type` is a handler failure: retried, then dead-lettered', async () => {
    const fake = fakeClient();
    const c = createConsumer(
      options(
        () => {
          throw Object.assign(new Error('from another client'), { type: 'UNKNOWN_MEMBER_ID' });
        },
        { retry: { maxRetries: 2, initialDelayMs: 0, maxDelayMs: 0 } },
      ),
      { clientFactory: fake.factory },
    );
    const retrying: number[] = [];
    const dead: string[] = [];
    c.on('message.retrying', (e) => retrying.push(e.attempt));
    c.on('message.dead-lettered', (e) => dead.push(e.offset));
    await c.run();
    await fake.hooks().onBatch(fake.batch([0]));
    await vi.waitFor(() => expect(dead).toEqual(['0']));
    expect(retrying).toEqual([1, 2]);
    expect(c.health().state).toBe('running');
    await c.disconnect();
  });

  it("the handler's own heartbeat() finding a rebalance ends the message's lane instead of a retry", async () => {
    const fake = fakeClient();
    const attempts: number[] = [];
    const c = createConsumer(
      options(async ({ message, attempt, heartbeat }) => {
        if (message.offset === '1') {
          attempts.push(attempt);
          await heartbeat();
        }
      }),
      { clientFactory: fake.factory },
    );
    const retrying: number[] = [];
    c.on('message.retrying', (e) => retrying.push(e.attempt));
    await c.run();
    const error = rebalancing();
    const batch = fake.batch([0, 1, 2], {
      heartbeat: async () => {
        if (attempts.length > 0) throw error;
      },
    });
    await fake.hooks().onBatch(batch);
    await vi.waitFor(() => expect(c.health().state).toBe('rebalancing'));
    expect(attempts).toEqual([1]);
    expect(retrying).toEqual([]);
    await fake.hooks().beforeJoin();
    expect(fake.commits).toEqual([{ offsets: [{ topic: 't', partition: 0, offset: '1' }] }]);
    await c.disconnect();
  });

  it('a rebalance the client notices outside any batch: the JoinGroup waits for the commit of finished offsets', async () => {
    const fake = fakeClient();
    const c = createConsumer(
      options(() => undefined, { commit: { strategy: 'interval', intervalMs: 60_000 } }),
      {
        clientFactory: fake.factory,
      },
    );
    const reasons: string[] = [];
    c.on('offsets.committed', (e) => reasons.push(e.reason));
    await c.run();
    await fake.hooks().onBatch(fake.batch([0, 1, 2]));
    expect(fake.commits).toEqual([]);
    fake.hooks().onRebalancing();
    await fake.hooks().beforeJoin();
    expect(fake.commits).toEqual([{ offsets: [{ topic: 't', partition: 0, offset: '3' }] }]);
    expect(reasons).toEqual(['rebalance']);
    await c.disconnect();
  });

  it('a transient commit failure is retried in place, without a re-join', async () => {
    const fake = fakeClient();
    const client = fake.factory.consumer({} as never);
    let tries = 0;
    client.commit = async (offsets) => {
      if (++tries < 3) throw commitError(kafkaJs('NOT_COORDINATOR'));
      fake.commits.push({
        offsets: offsets.map(({ topic, partition, offset }) => ({ topic, partition, offset })),
      });
    };
    const c = createConsumer(
      options(() => undefined),
      { clientFactory: fake.factory },
    );
    await c.run();
    await fake.hooks().onBatch(fake.batch([0, 1]));
    await vi.waitFor(() => expect(tries).toBe(3));
    expect(fake.commits).toEqual([{ offsets: [{ topic: 't', partition: 0, offset: '2' }] }]);
    expect(c.health().state).toBe('running');
    await c.disconnect();
  });

  it('a fenced commit is reported once and not recorded; the offset stays pending for the shutdown commit', async () => {
    const fake = fakeClient();
    const client = fake.factory.consumer({} as never);
    const real = client.commit;
    let fenced = true;
    client.commit = (offsets) =>
      fenced ? Promise.reject(commitError(kafkaJs('UNKNOWN_MEMBER_ID'))) : real(offsets);
    const c = createConsumer(
      options(() => undefined),
      { clientFactory: fake.factory },
    );
    const errors: Error[] = [];
    c.on('error', (e) => errors.push(e.error));
    await c.run();
    await fake.hooks().onBatch(fake.batch([0]));
    await vi.waitFor(() => expect(errors.map((e) => e.name)).toEqual(['RebalanceError']));
    fenced = false;
    await c.disconnect();
    expect(fake.commits).toEqual([{ offsets: [{ topic: 't', partition: 0, offset: '1' }] }]);
  });

  it('async handlers of one partition run one at a time, in offset order', async () => {
    const fake = fakeClient();
    const seen: string[] = [];
    let running = 0;
    let most = 0;
    const c = createConsumer(
      options(
        async ({ message }) => {
          most = Math.max(most, ++running);
          await Promise.resolve();
          seen.push(message.offset);
          running--;
        },
        { concurrency: 4 },
      ),
      { clientFactory: fake.factory },
    );
    await c.run();
    const offsets = Array.from({ length: 1000 }, (_, i) => i);
    await fake.hooks().onBatch(fake.batch(offsets));
    await vi.waitFor(() => expect(seen).toEqual(offsets.map(String)));
    expect(most).toBe(1);
    await c.disconnect();
  });

  it('a handler that returns without a promise finishes synchronously, with the same ordering and commits', async () => {
    const fake = fakeClient();
    const seen: string[] = [];
    const c = createConsumer(
      options(({ message }) => void seen.push(message.offset)),
      {
        clientFactory: fake.factory,
      },
    );
    const processed: string[] = [];
    c.on('message.processed', (e) => processed.push(e.offset));
    await c.run();
    await fake.hooks().onBatch(fake.batch([0, 1, 2]));
    expect(seen).toEqual(['0', '1', '2']);
    expect(processed).toEqual(['0', '1', '2']);
    expect(fake.commits).toEqual([{ offsets: [{ topic: 't', partition: 0, offset: '3' }] }]);
    await c.disconnect();
  });

  it('after a re-join keeping the same partitions, offsets finished in the previous generation are never committed', async () => {
    const fake = fakeClient();
    const client = fake.factory.consumer({} as never);
    const real = client.commit;
    client.commit = () => Promise.reject(commitError(kafkaJs('UNKNOWN_MEMBER_ID')));
    const seen: string[] = [];
    const c = createConsumer(
      options(({ message }) => void seen.push(message.offset), {
        commit: { strategy: 'interval', intervalMs: 60_000 },
      }),
      { clientFactory: fake.factory },
    );
    c.on('error', () => undefined);
    await c.run();
    await fake.hooks().onBatch(fake.batch([0, 1, 2, 3, 4]));
    // The member was expired: the revoke commit fails, the group is joined again, same partition.
    fake.hooks().onRebalancing();
    await fake.hooks().beforeJoin();
    fake.hooks().onAssigned([{ topic: 't', partition: 0 }]);
    client.commit = real;
    // The client fetches again from the committed offset (none: 0); only what is finished now counts.
    await fake.hooks().onBatch(fake.batch([0, 1]));
    expect(seen).toEqual(['0', '1', '2', '3', '4', '0', '1']);
    await c.disconnect();
    expect(fake.commits).toEqual([{ offsets: [{ topic: 't', partition: 0, offset: '2' }] }]);
  });

  it('moves the client fetch position once per batch, to the last finished message', async () => {
    const fake = fakeClient();
    const c = createConsumer(
      options(() => undefined),
      { clientFactory: fake.factory },
    );
    await c.run();
    const resolved: string[] = [];
    await fake.hooks().onBatch(fake.batch([0, 1, 2], { resolveOffset: (o) => void resolved.push(o) }));
    expect(resolved).toEqual(['2']);
    await c.disconnect();
  });

  it('stops starting handlers when the client says the batch is stale (revoked / sought)', async () => {
    const fake = fakeClient();
    const seen: string[] = [];
    let active = true;
    const c = createConsumer(
      options(({ message }) => {
        seen.push(message.offset);
        if (message.offset === '0') active = false; // revoked while message 0 runs
      }),
      { clientFactory: fake.factory },
    );
    await c.run();
    await fake.hooks().onBatch(fake.batch([0, 1, 2], { isActive: () => active }));
    expect(seen).toEqual(['0']);
    await c.disconnect();
    expect(fake.commits).toEqual([{ offsets: [{ topic: 't', partition: 0, offset: '1' }] }]);
  });
});

describe('fatal crash', () => {
  it('a crash KafkaJS will not restart from: the client is restarted after a backoff and consuming resumes, no exit', async () => {
    const fake = fakeClient();
    const client = fake.factory.consumer({} as never);
    const calls: string[] = [];
    const realStart = client.start;
    client.start = async (hooks) => {
      calls.push('start');
      return realStart(hooks);
    };
    client.stop = async () => void calls.push('stop');
    const exits: number[] = [];
    const seen: string[] = [];
    const c = createConsumer(
      options(({ message }) => void seen.push(message.offset), {
        shutdown: { signals: ['SIGUSR2'], exitProcess: true },
      }),
      { clientFactory: fake.factory, exit: (code) => void exits.push(code) },
    );
    const crashes: boolean[] = [];
    c.on('consumer.crashed', (e) => crashes.push(e.restart));
    await c.run();
    fake.hooks().onCrash(new Error('restartable'), true);
    expect(c.health().status).toBe('unhealthy');
    fake.hooks().onCrash(new Error('Failed to find group coordinator'), false);
    expect(c.health().problems.join('\n')).toMatch(/restart 1 of 5/);
    await waitUntil(() => calls.length === 3, 3000);
    expect(calls).toEqual(['start', 'stop', 'start']);
    expect(crashes).toEqual([true, false]);
    expect(c.health().status).toBe('healthy');
    await fake.hooks().onBatch(fake.batch([0, 1]));
    expect(seen).toEqual(['0', '1']);
    expect(exits).toEqual([]);
    await c.disconnect();
  });

  it('with exitProcess: when every restart after such a crash fails, drains, disconnects and exits with CRASH', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const fake = fakeClient();
      const client = fake.factory.consumer({} as never);
      const realStart = client.start;
      let starts = 0;
      client.start = async (hooks) => {
        starts++;
        if (starts === 1) return realStart(hooks);
        throw new Error('Failed to find group coordinator');
      };
      const exits: number[] = [];
      const c = createConsumer(
        options(() => undefined, { shutdown: { signals: ['SIGUSR2'], exitProcess: true } }),
        { clientFactory: fake.factory, exit: (code) => void exits.push(code) },
      );
      await c.run();
      fake.hooks().onCrash(new Error('fatal'), false);
      await vi.advanceTimersByTimeAsync(1000 + 2000 + 4000 + 8000 + 16_000 + 1000);
      expect(starts).toBe(1 + MAX_CRASH_RESTARTS);
      expect(exits).toEqual([EXIT_CODES.CRASH]);
      expect(c.health().status).toBe('stopped');
    } finally {
      vi.useRealTimers();
    }
  });
});

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition did not hold in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('start failures', () => {
  it('run() rejects with the client error, leaves no signal handler behind, and can be retried', async () => {
    const fake = fakeClient();
    const client = fake.factory.consumer({} as never);
    const realStart = client.start;
    let fail = true;
    client.start = async (hooks) => {
      if (fail)
        throw new ClientError('Could not subscribe', { cause: new Error('UNKNOWN_TOPIC_OR_PARTITION') });
      return realStart(hooks);
    };
    const before = process.listenerCount('SIGUSR2');
    const c = createConsumer(
      options(() => undefined, { shutdown: { signals: ['SIGUSR2'], exitProcess: false } }),
      {
        clientFactory: fake.factory,
      },
    );
    await expect(c.run()).rejects.toBeInstanceOf(ClientError);
    await new Promise((resolve) => setImmediate(resolve));
    expect(process.listenerCount('SIGUSR2')).toBe(before);
    fail = false;
    await c.run();
    expect(c.health().status).toBe('healthy');
    expect(process.listenerCount('SIGUSR2')).toBe(before + 1);
    await c.disconnect();
    expect(process.listenerCount('SIGUSR2')).toBe(before);
  });
});
