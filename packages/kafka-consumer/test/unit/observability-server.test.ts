import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createConsumer, noopLogger } from '../../src/index.js';
import { startHealthServer } from '../../src/observability/health/index.js';
import { registerConsumerMetrics } from '../../src/observability/prometheus/index.js';

const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

// Never connected: these tests need no broker (nothing is assigned, so the lag refresh never connects).
const idleConsumer = () =>
  createConsumer({
    brokers: ['127.0.0.1:1'],
    groupId: 'g',
    topics: ['t'],
    logger: noopLogger,
    shutdown: { signals: [] },
    handler: () => undefined,
  });

describe('health server (no broker)', () => {
  it('answers the probes with JSON, /metrics only with a registry, 404 and 405 otherwise', async () => {
    const consumer = idleConsumer();
    const server = await startHealthServer(consumer, { port: 0, host: '127.0.0.1' });
    closers.push(server.close);
    const url = (path: string) => `http://127.0.0.1:${server.port}${path}`;
    const readyz = await fetch(url('/readyz'));
    expect(readyz.status).toBe(503);
    expect(readyz.headers.get('content-type')).toContain('application/json');
    expect(await readyz.json()).toMatchObject({ status: 'not ready', state: 'idle' });
    expect((await fetch(url('/livez'))).status).toBe(200);
    expect((await fetch(url('/readyz?verbose=1'))).status).toBe(503);
    expect((await fetch(url('/metrics'))).status).toBe(404);
    expect((await fetch(url('/nope'))).status).toBe(404);
    expect((await fetch(url('/livez'), { method: 'POST' })).status).toBe(405);
    expect((await fetch(url('/livez'), { method: 'HEAD' })).status).toBe(200);
  });

  it('serves the registry on /metrics; close() unregisters the consumer metrics', async () => {
    const consumer = idleConsumer();
    const registry = new Registry();
    const metrics = registerConsumerMetrics(consumer, { registry, prefix: 'svc_' });
    const server = await startHealthServer(consumer, { port: 0, host: '127.0.0.1', registry });
    closers.push(server.close);
    const res = await fetch(`http://127.0.0.1:${server.port}/metrics`);
    expect(res.headers.get('content-type')).toBe(registry.contentType);
    const text = await res.text();
    expect(text).toContain('svc_state{state="idle"} 1');
    expect(text).toContain('# TYPE svc_handler_duration_seconds histogram');
    expect(text).toContain('svc_stuck 0');
    await metrics.close();
    expect(await registry.metrics()).not.toContain('svc_');
  });

  it('a port already in use rejects start-up', async () => {
    const consumer = idleConsumer();
    const first = await startHealthServer(consumer, { port: 0, host: '127.0.0.1' });
    closers.push(first.close);
    await expect(startHealthServer(consumer, { port: first.port, host: '127.0.0.1' })).rejects.toThrow(
      /EADDRINUSE/,
    );
  });
});

describe('the core stays free of the optional dependencies', () => {
  it('no file outside src/observability imports prom-client or @opentelemetry', () => {
    const src = fileURLToPath(new URL('../../src', import.meta.url));
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) {
          if (relative(src, path) !== 'observability') walk(path);
        } else if (/from '(prom-client|@opentelemetry\/[^']+)'/.test(readFileSync(path, 'utf8'))) {
          offenders.push(relative(src, path));
        }
      }
    };
    walk(src);
    expect(offenders).toEqual([]);
  });
});
