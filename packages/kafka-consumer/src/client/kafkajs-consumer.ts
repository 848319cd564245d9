import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { ClientError, CommitError, RebalanceError, toError } from '../errors.js';
import type { PendingOffset } from '../processing/offsets.js';
import type { TopicPartition } from '../types.js';
import { classifySecurityError, type SecurityContext, type SecuritySignals } from './auth-errors.js';
import { commitError, heartbeatError } from './errors.js';
import { KafkaJsOffsetReads } from './kafkajs-offset-reads.js';
import { watchCoordinator } from './kafkajs-patches/coordinator-failover.js';
import { gateJoins } from './kafkajs-patches/join-gate.js';
import { fetchRefusal } from './kafkajs-patches/leader-failover.js';
import { patchWarnings } from './kafkajs-patches/registry.js';
import { type UndecodableBatch, watchUndecodable } from './kafkajs-patches/undecodable.js';
import { KafkaJsRangeReader } from './kafkajs-range-reader.js';
import type {
  ClientBatch,
  ClientDiagnostics,
  ClientHooks,
  CommittedOffset,
  ConsumerClient,
  ConsumerClientOptions,
  EndOffsets,
} from './port.js';

const byTopic = (offsets: readonly PendingOffset[]) => {
  const topics = new Map<string, Array<{ partition: number; offset: string; metadata: string | null }>>();
  for (const { topic, partition, offset, metadata } of offsets) {
    const list = topics.get(topic);
    const entry = { partition, offset, metadata };
    if (list === undefined) topics.set(topic, [entry]);
    else list.push(entry);
  }
  return { topics: [...topics].map(([topic, partitions]) => ({ topic, partitions })) };
};

const grouped = (partitions: readonly TopicPartition[]) => {
  const topics = new Map<string, number[]>();
  for (const { topic, partition } of partitions) topics.set(topic, [...(topics.get(topic) ?? []), partition]);
  return [...topics].map(([topic, list]) => ({ topic, partitions: list }));
};

/** A KafkaJS error leaving eachBatch: KafkaJS recognises rebalances by its own error, so unwrap ours. */
const forKafkaJs = (error: unknown) => (error instanceof RebalanceError ? (error.cause ?? error) : error);

export class KafkaJsConsumerClient implements ConsumerClient {
  #consumer: Consumer;
  #stopped = false;
  /** The live session: the latest batch's calls, valid until a crash or stop ends this run. */
  #session: Pick<EachBatchPayload, 'commitOffsetsIfNecessary' | 'heartbeat'> | undefined;
  #unsubscribe: Array<() => void> = [];
  #hooks: ClientHooks | undefined;
  /** A batch of this consumer's fetch that KafkaJS cannot decode: pause its partition at once, then tell. */
  readonly #undecodable = (batch: UndecodableBatch) => {
    this.#consumer.pause([{ topic: batch.topic, partitions: [batch.partition] }]);
    this.#hooks?.onUndecodable?.(batch);
  };
  #unwatch: (() => void) | undefined;
  /** A security failure KafkaJS crashed with while `run()` was starting: start() rejects with it. */
  #startFailure: Error | undefined;
  #starting = false;
  #ungate: () => void = () => undefined;
  /** Committed metadata on assignment, end offsets for lag: one admin client for the consumer's life. */
  readonly #reads: KafkaJsOffsetReads;
  readonly #reader: KafkaJsRangeReader | undefined;
  readonly fetchFrom: ConsumerClient['fetchFrom'];

  constructor(
    private readonly kafka: Kafka,
    private readonly joinHoldMs: number,
    private readonly options: ConsumerClientOptions,
    private readonly security: { ctx: SecurityContext; signals: SecuritySignals },
    readsBeside: boolean,
  ) {
    this.#consumer = this.#create();
    this.#reads = new KafkaJsOffsetReads(kafka, options.groupId, () => this.#stopped);
    const reader = readsBeside ? new KafkaJsRangeReader(kafka) : undefined;
    this.#reader = reader;
    this.fetchFrom = reader === undefined ? undefined : (tp, offset) => reader.read(tp, offset);
  }

  #create(): Consumer {
    const o = this.options;
    return this.kafka.consumer({
      groupId: o.groupId,
      sessionTimeout: o.sessionTimeoutMs,
      heartbeatInterval: o.heartbeatIntervalMs,
      rebalanceTimeout: o.rebalanceTimeoutMs,
      maxWaitTimeInMs: o.maxWaitTimeMs,
      allowAutoTopicCreation: false,
    });
  }

  async connect(): Promise<void> {
    if (this.#stopped) {
      this.#stopped = false;
      this.#consumer = this.#create();
    }
    try {
      this.#unwatch ??= watchBoth(
        watchUndecodable(this.options.topics, this.#undecodable),
        watchCoordinator(this.options.groupId),
      );
      await this.#consumer.connect();
    } catch (error) {
      const { ctx, signals } = this.security;
      const security = classifySecurityError(error, ctx, signals, 'connect');
      if (security !== undefined) throw security;
      throw new ClientError(`Could not connect the consumer: ${toError(error).message}`, {
        cause: error,
        retriable: true,
      });
    }
  }

  /** Topics read from their earliest offset when the group has none (created while the start waited). */
  #earliest: readonly string[] = [];

  async start(hooks: ClientHooks, subscribe?: { fromBeginning: readonly string[] }): Promise<void> {
    if (subscribe !== undefined) this.#earliest = subscribe.fromBeginning;
    const consumer = this.#consumer;
    const { events } = consumer;
    this.#hooks = hooks;
    this.#unsubscribe.push(
      consumer.on(events.REBALANCING, () => hooks.onRebalancing()),
      consumer.on(events.GROUP_JOIN, ({ payload }) => {
        // Its re-joins (same member id) wait for the revoke work.
        this.#ungate();
        this.#ungate = gateJoins(payload.memberId, hooks.beforeJoin, this.joinHoldMs);
        const assigned: TopicPartition[] = [];
        for (const [topic, partitions] of Object.entries(payload.memberAssignment)) {
          for (const partition of partitions) assigned.push({ topic, partition });
        }
        hooks.onAssigned(assigned);
      }),
      consumer.on(events.CRASH, ({ payload }) => {
        this.#session = undefined;
        const security = classifySecurityError(payload.error, this.security.ctx, this.security.signals);
        // Failing to start for want of a permission: run() rejects with it, nothing restarts.
        if (security !== undefined && this.#starting) this.#startFailure = security;
        else hooks.onCrash(security ?? toError(payload.error), payload.restart);
      }),
    );
    try {
      const earliest = this.options.fromBeginning ? [] : this.#earliest;
      const rest = this.options.topics.filter((topic) => !earliest.includes(topic));
      if (rest.length > 0)
        await consumer.subscribe({ topics: rest, fromBeginning: this.options.fromBeginning });
      if (earliest.length > 0) await consumer.subscribe({ topics: [...earliest], fromBeginning: true });
    } catch (error) {
      const security = classifySecurityError(error, this.security.ctx, this.security.signals);
      if (security !== undefined) throw security;
      throw new ClientError(
        `Could not subscribe to ${this.options.topics.join(', ')}: ${toError(error).message}`,
        { cause: error, retriable: true },
      );
    }
    this.#starting = true;
    this.#startFailure = undefined;
    try {
      await this.#run(consumer, hooks);
    } finally {
      this.#starting = false;
    }
    const failure = this.#startFailure;
    if (failure !== undefined) {
      await this.stop().catch(() => undefined);
      throw failure;
    }
  }

  #run(consumer: Consumer, hooks: ClientHooks): Promise<void> {
    return consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently,
      eachBatch: (payload) => {
        this.#session = payload;
        const { batch } = payload;
        const clientBatch: ClientBatch = {
          topic: batch.topic,
          partition: batch.partition,
          messages: batch.messages,
          highWatermark: batch.highWatermark,
          resolveOffset: payload.resolveOffset,
          heartbeat: () => payload.heartbeat().catch(rethrowHeartbeat),
          isActive: () => payload.isRunning() && !payload.isStale(),
        };
        return hooks.onBatch(clientBatch).catch((error: unknown) => {
          throw forKafkaJs(error);
        });
      },
    });
  }

  async commit(offsets: readonly PendingOffset[]): Promise<void> {
    if (offsets.length === 0) return;
    const session = this.#session;
    if (session === undefined || this.#stopped)
      throw new CommitError('No live group session to commit in (the client stopped or crashed)', {
        retriable: false,
      });
    try {
      await session.commitOffsetsIfNecessary(byTopic(offsets) as never);
    } catch (error) {
      throw commitError(error);
    }
  }

  committed(partitions: readonly TopicPartition[]): Promise<CommittedOffset[]> {
    return this.#reads.committed(partitions);
  }

  endOffsets(topics: readonly string[]): Promise<EndOffsets[]> {
    return this.#reads.endOffsets(topics);
  }

  diagnostics(): ClientDiagnostics {
    const refusal = fetchRefusal(this.options.groupId);
    const problems =
      refusal === undefined
        ? []
        : [
            `fetches from broker ${refusal.broker} refused since ${new Date(refusal.since).toISOString()}: the partitions it leads get no records until it is back or their leadership moves`,
          ];
    return { problems, warnings: patchWarnings() };
  }

  async heartbeat(): Promise<void> {
    await this.#session?.heartbeat().catch(rethrowHeartbeat);
  }

  // KafkaJS throws from pause/resume/seek while it has no consumer group (between a crash and its
  // own restart): then there is nothing to pause, and the next join fetches from the committed offset.
  pause(partitions: readonly TopicPartition[]): void {
    if (partitions.length > 0) ignoreNoGroup(() => this.#consumer.pause(grouped(partitions)));
  }

  resume(partitions: readonly TopicPartition[]): void {
    if (partitions.length > 0) ignoreNoGroup(() => this.#consumer.resume(grouped(partitions)));
  }

  seek({ topic, partition }: TopicPartition, offset: string): void {
    ignoreNoGroup(() => this.#consumer.seek({ topic, partition, offset }));
  }

  async stop(): Promise<void> {
    for (const off of this.#unsubscribe) off();
    this.#unsubscribe = [];
    this.#session = undefined;
    this.#stopped = true;
    this.#unwatch?.();
    this.#unwatch = undefined;
    this.#ungate();
    await this.#reads.close();
    await this.#reader?.close();
    await this.#consumer.disconnect();
  }
}

/** Undecodable batches and coordinator failover, both process-wide patches, watched together. */
const watchBoth = (a: () => void, b: () => void) => () => {
  a();
  b();
};

function ignoreNoGroup(call: () => void): void {
  try {
    call();
  } catch (error) {
    if (!/not initialized|must be called first/i.test(toError(error).message)) throw error;
  }
}

function rethrowHeartbeat(error: unknown): never {
  throw heartbeatError(error);
}
