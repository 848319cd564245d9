import type {
  ClientBatch,
  ClientFactory,
  ClientHooks,
  ConsumerClient,
  DeadLetterProducer,
  TopicAdmin,
} from '../../../src/client/port.js';
import { type ConsumerOptions, noopLogger } from '../../../src/index.js';
import type { PendingOffset } from '../../../src/processing/offsets.js';
import type { ConsumedMessage } from '../../../src/types.js';

/** An in-memory client port: the test drives batches and group events by hand. */
export function fakeClient() {
  const commits: Array<{ offsets: Array<{ topic: string; partition: number; offset: string }> }> = [];
  const strip = (o: readonly PendingOffset[]) =>
    o.map(({ topic, partition, offset }) => ({ topic, partition, offset }));
  let hooks: ClientHooks | undefined;
  const client: ConsumerClient = {
    connect: async () => undefined,
    start: async (h) => {
      hooks = h;
      h.onAssigned([{ topic: 't', partition: 0 }]);
    },
    commit: async (offsets) => void commits.push({ offsets: strip(offsets) }),
    committed: async () => [],
    heartbeat: async () => undefined,
    pause: () => undefined,
    resume: () => undefined,
    seek: () => undefined,
    stop: async () => undefined,
  };
  const producer: DeadLetterProducer = {
    connect: async () => undefined,
    send: async () => undefined,
    disconnect: async () => undefined,
  };
  const admin: TopicAdmin = {
    missing: async () => [],
    brokerCount: async () => 1,
    create: async () => undefined,
    close: async () => undefined,
  };
  const factory: ClientFactory = { consumer: () => client, producer: () => producer, admin: () => admin };
  const message = (offset: number): ConsumedMessage => ({
    key: null,
    value: Buffer.from(`m${offset}`),
    timestamp: '0',
    attributes: 0,
    offset: String(offset),
    headers: {},
  });
  const batch = (offsets: number[], overrides: Partial<ClientBatch> = {}): ClientBatch => ({
    topic: 't',
    partition: 0,
    messages: offsets.map(message),
    highWatermark: String((offsets.at(-1) ?? -1) + 1),
    resolveOffset: () => undefined,
    heartbeat: async () => undefined,
    isActive: () => true,
    ...overrides,
  });
  return { factory, client, commits, batch, hooks: () => hooks as ClientHooks };
}

export const options = (
  handler: ConsumerOptions['handler'],
  extra: Partial<ConsumerOptions> = {},
): ConsumerOptions => ({
  brokers: ['localhost:9092'],
  groupId: 'g',
  topics: ['t'],
  logger: noopLogger,
  shutdown: { signals: [] },
  handler,
  ...extra,
});

/** A message with a key (byte-equal keys share a lane under key ordering). */
export const keyed = (offset: number, key: string): ConsumedMessage => ({
  key: Buffer.from(key),
  value: Buffer.from(`m${offset}`),
  timestamp: '0',
  attributes: 0,
  offset: String(offset),
  headers: {},
});
