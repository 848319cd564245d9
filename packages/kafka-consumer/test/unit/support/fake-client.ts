import type {
  ClientBatch,
  ClientFactory,
  ClientHooks,
  CommitOffset,
  ConsumerClient,
  DeadLetterProducer,
} from '../../../src/client/port.js';
import { type ConsumerOptions, noopLogger } from '../../../src/index.js';
import type { ConsumedMessage } from '../../../src/types.js';

/** An in-memory client port: the test drives batches and group events by hand. */
export function fakeClient() {
  const commits: Array<{ via: 'batch' | 'client'; offsets: CommitOffset[] }> = [];
  let hooks: ClientHooks | undefined;
  const client: ConsumerClient = {
    connect: async () => undefined,
    start: async (h) => {
      hooks = h;
      h.onAssigned([{ topic: 't', partition: 0 }]);
    },
    commit: async (offsets) => void commits.push({ via: 'client', offsets: [...offsets] }),
    pause: () => undefined,
    resume: () => undefined,
    isRebalanceError: (e) => (e as { type?: string }).type === 'REBALANCE_IN_PROGRESS',
    stop: async () => undefined,
  };
  const producer: DeadLetterProducer = {
    connect: async () => undefined,
    send: async () => undefined,
    disconnect: async () => undefined,
  };
  const factory: ClientFactory = { consumer: () => client, producer: () => producer };
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
    resolveOffset: () => undefined,
    heartbeat: async () => undefined,
    commit: async (o) => void commits.push({ via: 'batch', offsets: [...o] }),
    isActive: () => true,
    ...overrides,
  });
  return { factory, commits, batch, hooks: () => hooks as ClientHooks };
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
