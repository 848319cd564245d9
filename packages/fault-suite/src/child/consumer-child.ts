/**
 * A consumer process on the runtime, for fault scenarios. It records every handler call (and the
 * consumer's commits, assignments, dead-letters and errors) in the ledger, prints READY once it has
 * joined its group, and leaves shutdown and exit codes to the runtime's own signal handling.
 */
import {
  type CommitOption,
  createConsumer,
  createJsonLogger,
  createShareConsumer,
  type Handler,
  jsonCodec,
  type KafkaConsumerError,
  type Logger,
  rawCodec,
} from '@kafkakit/kafka-consumer';
import { createPostgresInbox, type InboxContext } from '@kafkakit/kafka-consumer/postgres';
import pg from 'pg';
import { openLedger } from '../ledger.js';
import { ID_HEADER } from '../producer.js';
import { CONFIG_ENV, decodeConfig } from './config.js';

const config = decodeConfig(process.env[CONFIG_ENV]);
const ledger = openLedger(config.ledgerPath);
const pid = process.pid;
const { behaviour } = config;
const hang = new Set(behaviour.hangIds ?? []);
const poison = new Set(behaviour.poisonIds ?? []);
const hung: Array<() => void> = [];
let completedCalls = 0;
let slowDone = false;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const idOf = (headers: Record<string, unknown> | undefined): string => {
  const raw = headers?.[ID_HEADER];
  return raw === undefined ? '?' : String(raw);
};

const commit: CommitOption =
  config.commit === 'interval'
    ? { strategy: 'interval', intervalMs: config.intervalMs ?? 1000 }
    : config.commit;

type Context = Pick<
  InboxContext<unknown, pg.PoolClient>,
  'topic' | 'partition' | 'message' | 'attempt' | 'retryTier'
>;

/** How many first attempts of message `id` (`p:s`) fail (behaviour.flaky). */
const flakyFailures = (id: string): number => {
  const flaky = behaviour.flaky;
  if (flaky === undefined) return 0;
  const r = Number(id.split(':')[1]) % flaky.modulo;
  return r === flaky.twice ? 2 : r === flaky.once ? 1 : 0;
};

const pool =
  config.inbox === undefined ? undefined : new pg.Pool({ connectionString: config.inbox.url, max: 10 });
pool?.on('error', () => undefined);
const inbox = pool === undefined ? undefined : createPostgresInbox<pg.PoolClient>({ pool, retention: false });
inbox?.onDuplicate(({ topic, partition, offset }) =>
  ledger.append({ ev: 'skipped', pid, ts: Date.now(), t: topic, p: partition, o: offset }),
);

/** The handler's work; `tx` (inbox runs): its effect row goes in with the inbox row, before 'done'. */
async function handle(
  { topic, partition, message, attempt, retryTier }: Context,
  tx?: pg.PoolClient,
): Promise<void> {
  // A message from a retry tier is recorded at the tier record's coordinates: the partition this
  // process was assigned and commits (ctx.topic/partition/offset name its origin).
  const entry = {
    t: retryTier?.topic ?? topic,
    p: retryTier?.partition ?? partition,
    o: retryTier?.offset ?? message.offset,
    id: idOf(message.headers),
    k: message.key?.toString('latin1') ?? '',
    a: attempt,
    pid,
  };
  ledger.append({ ev: 'call', ...entry, ts: Date.now() });
  try {
    if (hang.has(entry.id)) await new Promise<void>((resolve) => hung.push(resolve));
    if (poison.has(entry.id)) throw new Error(`poison message ${entry.id}`);
    if (attempt <= flakyFailures(entry.id))
      throw new Error(`flaky message ${entry.id} at attempt ${attempt}`);
    if (behaviour.slowOnce !== undefined && !slowDone && completedCalls >= behaviour.slowOnce.afterCalls) {
      slowDone = true;
      await sleep(behaviour.slowOnce.ms);
    }
    if (behaviour.delayMs !== undefined && behaviour.delayMs > 0) await sleep(behaviour.delayMs);
  } catch (error) {
    ledger.append({ ev: 'fail', ...entry, ts: Date.now() });
    throw error;
  }
  if (tx !== undefined && config.inbox !== undefined)
    await tx.query(`insert into "${config.inbox.effects}" (id) values ($1)`, [entry.id]);
  completedCalls++;
  ledger.append({ ev: 'done', ...entry, ts: Date.now() });
}

const baseLogger = createJsonLogger({
  level: process.env.FAULT_CHILD_LOG_LEVEL === 'debug' ? 'debug' : 'info',
});
/** A share consumer logs an acknowledgement the broker refused at warn, with its offset: a ledger fact. */
const logger: Logger = {
  ...baseLogger,
  warn: (obj, msg) => {
    const offset = (obj as { offset?: unknown }).offset;
    if (config.groupType === 'share' && msg?.startsWith('acknowledgement not taken') && offset !== undefined)
      ledger.append({ ev: 'ack-refused', pid, ts: Date.now(), o: String(offset) });
    baseLogger.warn(obj, msg);
  },
};

const common = {
  brokers: config.brokers,
  groupId: config.groupId,
  clientId: `fault-child-${pid}`,
  topics: [config.topic],
  concurrency: config.concurrency,
  ...(config.maxBufferedPerPartition === undefined
    ? {}
    : { maxBufferedPerPartition: config.maxBufferedPerPartition }),
  retry: {
    ...config.retry,
    ...(config.retryTopics === undefined ? {} : { topics: config.retryTopics.map((delay) => ({ delay })) }),
  },
  deadLetter: config.deadLetter,
  shutdown: { drainTimeoutMs: config.drainTimeoutMs, signals: ['SIGTERM', 'SIGINT'] as NodeJS.Signals[] },
  codec: config.codec === 'json' ? jsonCodec : (rawCodec as typeof jsonCodec),
  logger,
  maxWaitTimeMs: 200,
  ...(config.sessionTimeoutMs === undefined ? {} : { sessionTimeoutMs: config.sessionTimeoutMs }),
  ...(config.heartbeatIntervalMs === undefined ? {} : { heartbeatIntervalMs: config.heartbeatIntervalMs }),
  handler: (inbox === undefined
    ? (ctx) => handle(ctx)
    : inbox.handler((ctx) => handle(ctx, ctx.tx))) as Handler<unknown>,
};

// A share group (--group-type share): no commit strategy, no ordering, no fromBeginning (the suite
// sets the group's share.auto.offset.reset=earliest before the first child starts).
const consumer =
  config.groupType === 'share'
    ? createShareConsumer<unknown>(common)
    : createConsumer<unknown>({ ...common, fromBeginning: true, commit, ordering: config.ordering });

consumer.on('group.rebalanced', ({ assigned }) => {
  ledger.append({
    ev: 'assigned',
    pid,
    ts: Date.now(),
    parts: assigned.map((a) => ({ t: a.topic, p: a.partition })),
  });
});
consumer.on('offsets.committed', ({ offsets }) => {
  ledger.append({
    ev: 'commit',
    pid,
    ts: Date.now(),
    offsets: offsets.map((o) => ({ t: o.topic, p: o.partition, o: o.offset })),
  });
});
consumer.on('message.dead-lettered', ({ topic, partition, offset }) => {
  ledger.append({ ev: 'dead-lettered', pid, ts: Date.now(), t: topic, p: partition, o: offset });
});
consumer.on('error', ({ error }) => {
  const code = (error as Partial<KafkaConsumerError>).code ?? 'UNKNOWN';
  ledger.append({
    ev: 'error',
    pid,
    ts: Date.now(),
    name: error.name,
    code,
    msg: error.message.slice(0, 300),
  });
});

// Diagnostics: SIGUSR2 prints the runtime's health report to the child's log.
process.on('SIGUSR2', () => process.stderr.write(`HEALTH ${JSON.stringify(consumer.health())}\n`));
await consumer.run();
// Registered after the runtime's own handlers (installed by run()), so an early signal keeps its default.
for (const sig of ['SIGTERM', 'SIGINT'] as const) {
  process.on(sig, () => ledger.append({ ev: 'signal', pid, ts: Date.now(), sig }));
}
ledger.append({ ev: 'ready', pid, ts: Date.now() });
process.stdout.write('READY\n');
