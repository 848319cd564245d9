import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KafkaConsumer } from '../../consumer.js';
import type { StuckReport } from '../watch/consumer-watch.js';
import { acquireWatch } from '../watch/shared.js';
import { liveness, type ProbeResult, readiness } from './probes.js';

/** The part of a prom-client Registry the server uses (a Registry fits). */
export interface MetricsSource {
  contentType: string;
  metrics(): Promise<string>;
}

export interface HealthServerOptions {
  /** 0 picks a free port (see the returned `port`). */
  port: number;
  /** @default '0.0.0.0' */
  host?: string;
  /** Serves GET /metrics from it; without it /metrics answers 404. */
  registry?: MetricsSource;
  /** Lag > 0 and no message finished for this long makes /livez fail. @default 60000 */
  stuckAfterMs?: number;
  /** How often lag is re-read through the admin API. @default 10000 */
  lagRefreshMs?: number;
  /** Called when the consumer turns stuck (with the partitions) and when it recovers (undefined). */
  onStuckChange?: (report: StuckReport | undefined) => void;
}

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

const json = (res: ServerResponse, status: number, body: unknown, head: boolean) => {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
  });
  res.end(head ? undefined : text);
};

/**
 * GET /livez, /readyz (200 or 503, JSON body with the reasons) and /metrics (Prometheus text, when
 * a registry is given) on node:http. Resolves once listening.
 */
export async function startHealthServer(
  consumer: KafkaConsumer,
  options: HealthServerOptions,
): Promise<HealthServer> {
  const { watch, release } = acquireWatch(consumer, {
    stuckAfterMs: options.stuckAfterMs,
    lagRefreshMs: options.lagRefreshMs,
  });
  const offStuck =
    options.onStuckChange === undefined ? () => undefined : watch.onStuckChange(options.onStuckChange);
  const probe = (res: ServerResponse, result: ProbeResult, head: boolean) =>
    json(res, result.ok ? 200 : 503, result.body, head);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const head = req.method === 'HEAD';
    if (req.method !== 'GET' && !head) {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/livez') return probe(res, liveness(consumer, watch), head);
    if (path === '/readyz') return probe(res, readiness(consumer, watch), head);
    if (path === '/metrics' && options.registry !== undefined) {
      const text = await options.registry.metrics();
      res.writeHead(200, { 'content-type': options.registry.contentType, 'cache-control': 'no-store' });
      res.end(head ? undefined : text);
      return;
    }
    json(
      res,
      404,
      { error: 'not found', paths: ['/livez', '/readyz', ...(options.registry ? ['/metrics'] : [])] },
      head,
    );
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      consumer.options.logger.error({ err: error, url: req.url }, 'health server request failed');
      if (!res.headersSent) json(res, 500, { error: 'internal error' }, false);
      else res.end();
    });
  });
  server.keepAliveTimeout = 5_000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host ?? '0.0.0.0', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    offStuck();
    await release();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  consumer.options.logger.info({ port, host: options.host ?? '0.0.0.0' }, 'health server listening');
  let closing: Promise<void> | undefined;
  return {
    port,
    close: () => {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        offStuck();
        await release();
      })();
      return closing;
    },
  };
}
