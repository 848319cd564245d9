import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { commitError } from '../../src/client/errors.js';
import { ClientError, createConsumer } from '../../src/index.js';
import { fakeClient, options } from './support/fake-client.js';

/** The clock moves only when the test says so: no real waiting, no dependence on a loaded machine. */
const advance = (ms: number) => vi.advanceTimersByTimeAsync(ms);
const kafkaJs = (type: string) => Object.assign(new Error(type), { name: 'KafkaJSProtocolError', type });

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('stuck re-join watchdog (fake client, fake clock)', () => {
  it('no assignment within rebalanceTimeoutMs + sessionTimeoutMs after a rebalance began: unhealthy, error event, client restarted; nothing lost or committed twice', async () => {
    const fake = fakeClient();
    const client = fake.factory.consumer({} as never);
    const calls: string[] = [];
    const realStart = client.start;
    let joinAnswers = true;
    client.start = async (hooks) => {
      calls.push('start');
      if (joinAnswers) return realStart(hooks);
      // Like KafkaJS after "the coordinator is not aware of this member": the join never finishes.
      return new Promise<void>(() => undefined);
    };
    client.stop = async () => void calls.push('stop');
    client.connect = async () => void calls.push('connect');
    const seen: string[] = [];
    const c = createConsumer(
      options(({ message }) => void seen.push(message.offset), {
        commit: { strategy: 'interval', intervalMs: 60_000 },
        rebalanceTimeoutMs: 1000,
        sessionTimeoutMs: 1000,
        heartbeatIntervalMs: 300,
      }),
      { clientFactory: fake.factory },
    );
    const errors: Error[] = [];
    c.on('error', (e) => errors.push(e.error));
    await c.run();
    expect(calls).toEqual(['connect', 'start']);
    await fake.hooks().onBatch(fake.batch([0, 1, 2]));

    // The member was expired: the rebalance commit fails, KafkaJS re-joins... and never gets an assignment.
    const commit = client.commit;
    client.commit = () => Promise.reject(commitError(kafkaJs('UNKNOWN_MEMBER_ID')));
    joinAnswers = false;
    fake.hooks().onRebalancing();
    await advance(900);
    expect(c.health().status).toBe('healthy');
    expect(calls).toEqual(['connect', 'start']);

    await advance(1400); // past 1000 + 1000 ms
    const health = c.health();
    expect(health.status).toBe('unhealthy');
    expect(health.problems.join('\n')).toMatch(/re-join stuck/);
    const stuck = errors.find((e) => e instanceof ClientError);
    expect(stuck?.message).toMatch(/No partition assignment/);
    expect((stuck as ClientError).retriable).toBe(true);
    // Restarted through the port: stop, connect, start again (its join hangs too: tried again later).
    expect(calls).toEqual(['connect', 'start', 'stop', 'connect', 'start']);

    joinAnswers = true;
    await advance(4400); // the hung join times out after 2000 ms, then 2000 ms later a new restart
    expect(calls.slice(5)).toEqual(['stop', 'connect', 'start']);
    expect(c.health().status).toBe('healthy');
    expect(c.health().problems).toEqual([]);
    client.commit = commit; // the fenced generation is over

    // The new generation fetches again from the committed offset (none): 0..2 come again.
    await fake.hooks().onBatch(fake.batch([0, 1]));
    await c.disconnect();
    expect(seen).toEqual(['0', '1', '2', '0', '1']);
    // Only what finished in the new generation; offsets of the fenced generation never committed.
    expect(fake.commits).toEqual([{ offsets: [{ topic: 't', partition: 0, offset: '2' }] }]);
  }, 15_000);

  it('does not fire once the assignment arrives, nor after disconnect()', async () => {
    const fake = fakeClient();
    const client = fake.factory.consumer({} as never);
    let starts = 0;
    const realStart = client.start;
    client.start = async (hooks) => {
      starts++;
      return realStart(hooks);
    };
    const c = createConsumer(
      options(() => undefined, {
        rebalanceTimeoutMs: 1000,
        sessionTimeoutMs: 1000,
        heartbeatIntervalMs: 300,
      }),
      { clientFactory: fake.factory },
    );
    await c.run();
    fake.hooks().onRebalancing();
    await advance(500);
    fake.hooks().onAssigned([{ topic: 't', partition: 0 }]);
    fake.hooks().onRebalancing();
    await c.disconnect();
    await advance(2200);
    expect(starts).toBe(1);
    expect(c.health().status).toBe('stopped');
  });

  it('an error that did not start a re-join (e.g. the coordinator moved) is cleared by the next delivered batch', async () => {
    const fake = fakeClient();
    const client = fake.factory.consumer({} as never);
    let starts = 0;
    const realStart = client.start;
    client.start = async (hooks) => {
      starts++;
      return realStart(hooks);
    };
    const commit = client.commit;
    client.commit = () => Promise.reject(commitError(kafkaJs('REBALANCE_IN_PROGRESS')));
    const c = createConsumer(
      options(() => undefined, {
        commit: { strategy: 'interval', intervalMs: 100 },
        rebalanceTimeoutMs: 1000,
        sessionTimeoutMs: 1000,
        heartbeatIntervalMs: 300,
      }),
      { clientFactory: fake.factory },
    );
    c.on('error', () => undefined);
    const failed: string[] = [];
    c.on('offsets.commit-failed', (e) => failed.push(e.error.name));
    await c.run();
    await fake.hooks().onBatch(fake.batch([0]));
    await advance(250); // an interval commit failed (fenced): the watchdog is armed
    expect(failed[0]).toBe('RebalanceError');
    expect(c.health().status).toBe('healthy');
    client.commit = commit;
    // The client never re-joins: it goes on delivering in the same generation.
    for (let offset = 1; offset <= 8; offset++) {
      await fake.hooks().onBatch(fake.batch([offset]));
      await advance(300);
    }
    expect(starts).toBe(1);
    expect(c.health().status).toBe('healthy');
    await c.disconnect();
  }, 10_000);
});
