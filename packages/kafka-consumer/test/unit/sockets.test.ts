import { createServer } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { defaultSocketFactory } from '../../src/client/kafkajs-patches/sockets.js';

/** A loopback port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('the socket factory', () => {
  it('lets KafkaJS unref a refused socket any number of times without piling up listeners', async () => {
    const socket = defaultSocketFactory({
      host: '127.0.0.1',
      port: await closedPort(),
      ssl: null as never,
      onConnect: () => undefined,
    });
    socket.on('error', () => undefined);
    await vi.waitFor(() => expect(socket.destroyed).toBe(true), { timeout: 5000 });
    const before = socket.listenerCount('connect');
    // What KafkaJS's disconnect() does after every failed reconnect to a broker that stays down.
    for (let i = 0; i < 20; i++) socket.unref();
    expect(socket.listenerCount('connect')).toBe(before);
  });
});
