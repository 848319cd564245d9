import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  produceMessages,
  readCommittedOffsets,
  readEndOffsets,
  uniqueName,
  waitFor,
} from '@kafkakit/kafka-testkit';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { readiness, startHealthServer } from '../../src/observability/health/index.js';
import { registerConsumerMetrics } from '../../src/observability/prometheus/index.js';
import { acquireWatch } from '../../src/observability/watch/shared.js';
import { childOutput } from './child-output.js';
import { metric, probe } from './observability-support.js';
import { brokers, consumer, topic } from './support.js';

const fixture = fileURLToPath(new URL('../fixtures/observability-service.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const cleanups: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

function startService(env: Record<string, string>) {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', fixture], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const { lines, stderr } = childOutput(child);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, lines, exited, stderr };
}

describe('health server', () => {
  it('a service is not ready before the join, ready after, and not ready right after SIGTERM while it drains', async () => {
    const source = await topic('kc-obs-ready');
    await produceMessages(brokers(), source, 3);
    const service = startService({
      BROKERS: brokers().join(','),
      TOPIC: source,
      GROUP_ID: uniqueName('kc-obs-ready-group'),
      SLOW_OFFSET: '1',
      SLOW_MS: '4000',
    });
    await waitFor(() => service.lines.some((l) => l.startsWith('PORT ')), {
      timeoutMs: 30_000,
      message: `the service printed its port (stderr: ${service.stderr()})`,
    });
    const port = Number(service.lines.find((l) => l.startsWith('PORT '))?.slice(5));

    const before = await probe(port, '/readyz');
    expect(before.status).toBe(503);
    expect(before.body).toMatchObject({
      status: 'not ready',
      state: 'idle',
      reasons: ['not started (run() not called)'],
    });
    expect((await probe(port, '/livez')).status).toBe(200);

    service.child.stdin?.write('run\n');
    await expect.poll(async () => (await probe(port, '/readyz')).status, { timeout: 30_000 }).toBe(200);
    expect((await probe(port, '/readyz')).body).toMatchObject({ status: 'ready', state: 'running' });

    // A handler is in flight (4 s): SIGTERM starts a drain that outlives the next probe.
    await waitFor(() => service.lines.includes('START 1'), {
      timeoutMs: 20_000,
      message: 'slow handler started',
    });
    service.child.kill('SIGTERM');
    // The signal reaches the child asynchronously: poll briefly; it must flip long before the drain ends.
    await expect
      .poll(async () => (await probe(port, '/readyz')).status, { timeout: 2_000, interval: 20 })
      .toBe(503);
    const during = await probe(port, '/readyz');
    expect(service.lines).not.toContain('DONE 1');
    expect(during.status).toBe(503);
    expect(during.body).toMatchObject({ status: 'not ready', reasons: ['shutting down'] });
    expect(await service.exited).toBe(0);
    expect(service.lines).toContain('DONE 1');
  });

  it('turns not ready synchronously when disconnect() starts', async () => {
    const source = await topic('kc-obs-sync');
    const c = consumer({ topics: [source], handler: () => undefined });
    const { watch, release } = acquireWatch(c);
    cleanups.push(release);
    expect(readiness(c, watch).ok).toBe(false);
    const running = c.run();
    expect(readiness(c, watch).body).toMatchObject({ reasons: ['not joined the group yet'] });
    await running;
    expect(readiness(c, watch).ok).toBe(true);
    const stopping = c.disconnect();
    expect(readiness(c, watch)).toMatchObject({ ok: false, body: { reasons: ['shutting down'] } });
    await stopping;
    expect(readiness(c, watch).body).toMatchObject({ state: 'stopped' });
  });

  it('a hanging handler with messages waiting flips /livez after stuckAfterMs; lag stays end minus committed', async () => {
    const source = await topic('kc-obs-stuck');
    await produceMessages(brokers(), source, 10);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let hangStartedAt = 0;
    const c = consumer({
      topics: [source],
      commit: 'per-message',
      handler: async ({ message }) => {
        if (message.offset === '5') {
          hangStartedAt = Date.now();
          await gate;
        }
      },
    });
    cleanups.push(() => release());
    const registry = new Registry();
    const metrics = registerConsumerMetrics(c, { registry, lagRefreshMs: 300 });
    cleanups.push(metrics.close);
    const stuckAfterMs = 1500;
    const transitions: Array<string[] | undefined> = [];
    const server = await startHealthServer(c, {
      port: 0,
      host: '127.0.0.1',
      registry,
      stuckAfterMs,
      onStuckChange: (report) =>
        transitions.push(report?.partitions.map((p) => `${p.topic}[${p.partition}]`)),
    });
    cleanups.push(server.close);
    await c.run();

    await waitFor(() => hangStartedAt > 0, { message: 'the handler hangs on offset 5' });
    // Precondition: live while the hang is younger than stuckAfterMs.
    const early = await probe(server.port, '/livez');
    if (Date.now() - hangStartedAt < stuckAfterMs) expect(early.status).toBe(200);

    await expect.poll(async () => (await probe(server.port, '/livez')).status, { timeout: 15_000 }).toBe(503);
    expect(Date.now() - hangStartedAt).toBeGreaterThanOrEqual(stuckAfterMs);
    const livez = await probe(server.port, '/livez');
    expect(livez.body).toMatchObject({
      status: 'not live',
      stuck: { partitions: [{ topic: source, partition: 0 }] },
    });
    expect(String((livez.body.reasons as string[])[0])).toContain(`${source}[0]`);
    expect(await metric(registry, 'kafka_consumer_stuck')).toBe(1);
    expect(transitions).toEqual([[`${source}[0]`]]);
    expect(
      await metric(registry, 'kafka_consumer_partition_waiting_seconds', { topic: source, partition: '0' }),
    ).toBeGreaterThanOrEqual(stuckAfterMs / 1000);
    expect((await probe(server.port, '/readyz')).status).toBe(200);

    const lagMatchesAdmin = async () => {
      const end = Number((await readEndOffsets(brokers(), source))[0]);
      const committed = Number((await readCommittedOffsets(brokers(), c.options.groupId, source))[0]);
      const lag = await metric(registry, 'kafka_consumer_lag', { topic: source, partition: '0' });
      return { lag, adminLag: end - committed };
    };
    expect(await lagMatchesAdmin()).toEqual({ lag: 5, adminLag: 5 });
    // More messages arrive while stuck: no fetch reports them, the admin refresh does.
    await produceMessages(brokers(), source, 7);
    await expect.poll(lagMatchesAdmin, { timeout: 15_000 }).toEqual({ lag: 12, adminLag: 12 });
    const text = await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text();
    expect(text).toContain(`kafka_consumer_lag{topic="${source}",partition="0"} 12`);
    expect(text).toContain('kafka_consumer_stuck 1');

    release();
    await expect.poll(async () => (await probe(server.port, '/livez')).status, { timeout: 15_000 }).toBe(200);
    await expect.poll(lagMatchesAdmin, { timeout: 15_000 }).toEqual({ lag: 0, adminLag: 0 });
    expect(await metric(registry, 'kafka_consumer_stuck')).toBe(0);
    expect(transitions).toEqual([[`${source}[0]`], undefined]);
  });
});
