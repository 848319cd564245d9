import {
  type Consumer,
  type EachBatchPayload,
  type IHeaders,
  Kafka,
  type KafkaConfig,
  logLevel,
  Partitioners,
  type Producer,
} from 'kafkajs';
import { ClientError, toError } from '../errors.js';
import { classifySecurityError, type SecurityContext, SecuritySignals } from './auth-errors.js';
import './compression.js';
import type { Logger } from '../logger.js';
import type { SaslOptions } from '../options.js';
import type { TopicPartition } from '../types.js';
import type {
  ClientBatch,
  ClientFactory,
  ClientHooks,
  CommitOffset,
  ConsumerClient,
  ConsumerClientOptions,
  DeadLetterProducer,
} from './port.js';
import { reportUndecodableTo, type UndecodableBatch } from './undecodable.js';

export interface KafkaJsConnection {
  brokers: string[];
  clientId: string;
  ssl: KafkaConfig['ssl'];
  sasl: SaslOptions | undefined;
  logger: Logger;
}

const REBALANCE_TYPES = new Set([
  'REBALANCE_IN_PROGRESS',
  'ILLEGAL_GENERATION',
  'UNKNOWN_MEMBER_ID',
  'NOT_COORDINATOR_FOR_GROUP',
]);

/** KafkaJS's own logs go to the runtime logger: its errors as warn (the runtime reports real failures itself). */
function logCreator(logger: Logger, signals: SecuritySignals) {
  return () =>
    ({ level, log }: { level: number; log: { message: string; [key: string]: unknown } }) => {
      const { message, timestamp: _t, logger: _l, ...rest } = log;
      signals.note(rest.error);
      const fields = { kafkajs: true, ...rest };
      if (level <= logLevel.WARN && !signals.repeated(message)) logger.warn(fields, message);
      else if (level <= logLevel.INFO) logger.debug(fields, message);
      else logger.debug(fields, message);
    };
}

const toGroups = (offsets: readonly CommitOffset[]) => {
  const byTopic = new Map<string, Array<{ partition: number; offset: string }>>();
  for (const { topic, partition, offset } of offsets) {
    const list = byTopic.get(topic);
    if (list === undefined) byTopic.set(topic, [{ partition, offset }]);
    else list.push({ partition, offset });
  }
  return { topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })) };
};

class KafkaJsConsumerClient implements ConsumerClient {
  readonly #kafka: Kafka;
  #consumer: Consumer;
  /** stop() was called: the next connect() (a restart) starts over with a fresh KafkaJS consumer. */
  #stopped = false;
  readonly #options: ConsumerClientOptions;
  /** The latest batch's direct commit: it commits in the generation that is current when called. */
  #directCommit: EachBatchPayload['commitOffsetsIfNecessary'] | undefined;
  #unsubscribe: Array<() => void> = [];
  #hooks: ClientHooks | undefined;
  /** A batch of this consumer's fetch that KafkaJS cannot decode: pause its partition at once, then tell. */
  readonly #undecodable = (batch: UndecodableBatch) => {
    this.#consumer.pause([{ topic: batch.topic, partitions: [batch.partition] }]);
    this.#hooks?.onUndecodable?.(batch);
  };

  readonly #security: { ctx: SecurityContext; signals: SecuritySignals };
  /** A security failure KafkaJS crashed with while `run()` was starting: start() rejects with it. */
  #startFailure: Error | undefined;
  #starting = false;

  constructor(
    kafka: Kafka,
    options: ConsumerClientOptions,
    security: { ctx: SecurityContext; signals: SecuritySignals },
  ) {
    this.#kafka = kafka;
    this.#options = options;
    this.#security = security;
    this.#consumer = this.#create();
  }

  #create(): Consumer {
    const options = this.#options;
    return this.#kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: options.sessionTimeoutMs,
      heartbeatInterval: options.heartbeatIntervalMs,
      rebalanceTimeout: options.rebalanceTimeoutMs,
      maxWaitTimeInMs: options.maxWaitTimeMs,
      allowAutoTopicCreation: false,
    });
  }

  async connect(): Promise<void> {
    if (this.#stopped) {
      this.#stopped = false;
      this.#consumer = this.#create();
    }
    try {
      await reportUndecodableTo(this.#undecodable, () => this.#consumer.connect());
    } catch (error) {
      const { ctx, signals } = this.#security;
      const security = classifySecurityError(error, ctx, signals, 'connect');
      if (security !== undefined) throw security;
      throw new ClientError(`Could not connect the consumer: ${toError(error).message}`, {
        cause: error,
        retriable: true,
      });
    }
  }

  async start(hooks: ClientHooks): Promise<void> {
    this.#hooks = hooks;
    const { events } = this.#consumer;
    this.#unsubscribe.push(
      this.#consumer.on(events.REBALANCING, () => hooks.onRebalancing()),
      this.#consumer.on(events.GROUP_JOIN, ({ payload }) => {
        const assigned: TopicPartition[] = [];
        for (const [topic, partitions] of Object.entries(payload.memberAssignment)) {
          for (const partition of partitions) assigned.push({ topic, partition });
        }
        hooks.onAssigned(assigned);
      }),
      this.#consumer.on(events.CRASH, ({ payload }) => {
        const security = classifySecurityError(payload.error, this.#security.ctx, this.#security.signals);
        // Failing to start for want of a permission: run() rejects with it, nothing restarts.
        if (security !== undefined && this.#starting) this.#startFailure = security;
        else hooks.onCrash(security ?? toError(payload.error), payload.restart);
      }),
    );
    try {
      await this.#consumer.subscribe({
        topics: this.#options.topics,
        fromBeginning: this.#options.fromBeginning,
      });
    } catch (error) {
      const security = classifySecurityError(error, this.#security.ctx, this.#security.signals);
      if (security !== undefined) throw security;
      throw new ClientError(
        `Could not subscribe to ${this.#options.topics.join(', ')} (do the topics exist?): ${toError(error).message}`,
        { cause: error, retriable: true },
      );
    }
    this.#starting = true;
    this.#startFailure = undefined;
    try {
      await reportUndecodableTo(this.#undecodable, () => this.#runKafkaJs(hooks));
    } finally {
      this.#starting = false;
    }
    const failure = this.#startFailure;
    if (failure !== undefined) {
      await this.stop().catch(() => undefined);
      throw failure;
    }
  }

  #runKafkaJs(hooks: ClientHooks): Promise<void> {
    return this.#consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.#options.concurrency,
      eachBatch: (payload) => {
        this.#directCommit = payload.commitOffsetsIfNecessary;
        const { batch } = payload;
        const clientBatch: ClientBatch = {
          topic: batch.topic,
          partition: batch.partition,
          messages: batch.messages,
          resolveOffset: payload.resolveOffset,
          heartbeat: payload.heartbeat,
          commit: (offsets) => payload.commitOffsetsIfNecessary(toGroups(offsets)),
          isActive: () => payload.isRunning() && !payload.isStale(),
        };
        return hooks.onBatch(clientBatch);
      },
    });
  }

  commit(offsets: readonly CommitOffset[]): Promise<void> {
    if (offsets.length === 0) return Promise.resolve();
    if (this.#directCommit !== undefined) return this.#directCommit(toGroups(offsets));
    return this.#consumer.commitOffsets(offsets.map((o) => ({ ...o })));
  }

  pause(tp: TopicPartition): void {
    this.#consumer.pause([{ topic: tp.topic, partitions: [tp.partition] }]);
  }

  resume(tp: TopicPartition): void {
    this.#consumer.resume([{ topic: tp.topic, partitions: [tp.partition] }]);
  }

  isRebalanceError(error: unknown): boolean {
    const type = (error as { type?: unknown } | null)?.type;
    return typeof type === 'string' && REBALANCE_TYPES.has(type);
  }

  async stop(): Promise<void> {
    for (const off of this.#unsubscribe) off();
    this.#unsubscribe = [];
    this.#directCommit = undefined;
    this.#stopped = true;
    await this.#consumer.disconnect();
  }
}

class KafkaJsDeadLetterProducer implements DeadLetterProducer {
  readonly #producer: Producer;

  constructor(kafka: Kafka) {
    this.#producer = kafka.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: true,
      retry: { retries: 2, initialRetryTime: 100 },
    });
  }

  connect(): Promise<void> {
    return this.#producer.connect();
  }

  async send(
    topic: string,
    record: { key: Buffer | null; value: Buffer | null; headers: IHeaders },
  ): Promise<void> {
    await this.#producer.send({
      topic,
      acks: -1,
      messages: [{ key: record.key, value: record.value, headers: record.headers }],
    });
  }

  disconnect(): Promise<void> {
    return this.#producer.disconnect();
  }
}

/** The client port on KafkaJS; the only module that imports KafkaJS values. */
export function createKafkaJsFactory(connection: KafkaJsConnection): ClientFactory {
  const signals = new SecuritySignals();
  const kafka = new Kafka({
    brokers: connection.brokers,
    clientId: connection.clientId,
    ssl: connection.ssl,
    sasl: connection.sasl as KafkaConfig['sasl'],
    logLevel: logLevel.WARN,
    logCreator: logCreator(connection.logger, signals),
  });
  return {
    consumer: (options) =>
      new KafkaJsConsumerClient(kafka, options, {
        signals,
        ctx: {
          groupId: options.groupId,
          topics: options.topics,
          ssl: Boolean(connection.ssl),
          sasl: connection.sasl,
        },
      }),
    producer: () => new KafkaJsDeadLetterProducer(kafka),
  };
}
