import { bounded } from './bounded.js';
import type { ClientFactory, ClientHooks } from './client/port.js';
import { describeUndecodable } from './client/undecodable.js';
import { createClients } from './clients.js';
import { Committer } from './commit/committer.js';
import { createCommitStrategy } from './commit/index.js';
import { ClientError, KafkaConsumerError, toError } from './errors.js';
import { type EventName, type Listener, TypedEmitter } from './events.js';
import { RejoinSupervisor } from './group/supervisor.js';
import { healthReport } from './health.js';
import { type ConsumerOptions, type ResolvedOptions, resolveOptions } from './options.js';
import { MessageProcessor } from './processing/message.js';
import { OffsetTracker } from './processing/offsets.js';
import { PartitionControl } from './processing/partitions.js';
import { Runner } from './processing/runner.js';
import { EXIT_CODES, installSignalHandlers } from './shutdown.js';
import type { HealthReport, ShutdownReport } from './types.js';

export interface KafkaConsumer {
  /** Connects to the cluster (and the dead-letter producer). Idempotent. */
  connect(): Promise<void>;
  /** Subscribes and starts consuming; resolves once the group was joined. Connects first if needed. */
  run(): Promise<void>;
  /** Graceful stop: drain (bounded by drainTimeoutMs), commit, leave the group, close. Idempotent; never hangs. */
  disconnect(): Promise<ShutdownReport>;
  health(): HealthReport;
  /** Resumes a partition the runtime paused; its unfinished message is delivered again (attempts start at 1). */
  resumePartition(topic: string, partition: number): boolean;
  on<K extends EventName>(name: K, listener: Listener<K>): () => void;
  once<K extends EventName>(name: K, listener: Listener<K>): () => void;
  off<K extends EventName>(name: K, listener: Listener<K>): void;
  /** The validated options with defaults applied. */
  readonly options: Readonly<ResolvedOptions<unknown>>;
}

/** Test seam: plug another client in place of KafkaJS. */
export interface ConsumerDependencies {
  clientFactory?: ClientFactory;
  /** How the process exits (signal shutdown, fatal crash with `exitProcess`). @default process.exit */
  exit?: (code: number) => void;
}

const STOP_TIMEOUT_MS = 10_000;
/** How often the runner asks the client for a (due) heartbeat between messages. */
const HEARTBEAT_CHECK_MS = 100;

/** Creates a consumer. Synchronous; throws ConfigError at once on invalid options. */
export function createConsumer<T = Buffer | null>(
  input: ConsumerOptions<T>,
  dependencies: ConsumerDependencies = {},
): KafkaConsumer {
  const options = resolveOptions(input);
  const { logger } = options;
  const exit = dependencies.exit ?? ((code: number) => process.exit(code));
  const events = new TypedEmitter(logger);
  const { client, publisher } = createClients(options, dependencies.clientFactory);
  const tracker = new OffsetTracker();
  let stopping: Promise<ShutdownReport> | undefined;
  const supervisor = new RejoinSupervisor({
    client,
    events,
    logger,
    timeoutMs: options.rebalanceTimeoutMs + options.sessionTimeoutMs,
    stopping: () => stopping !== undefined,
    beforeRestart: () => runner.onRebalancing(),
  });
  const committer = new Committer(
    tracker,
    events,
    logger,
    (cause) => supervisor.notice(cause),
    () => {
      if (!runner.rebalancing) supervisor.progress();
    },
  );
  const strategy = createCommitStrategy(options.commit);
  const control = new PartitionControl(client, events);
  const runner = new Runner(
    client,
    tracker,
    committer,
    strategy,
    control,
    logger,
    Math.min(HEARTBEAT_CHECK_MS, options.heartbeatIntervalMs),
  );
  const processor = new MessageProcessor(options, events, control, publisher, runner.signals, (error) =>
    client.isRebalanceError(error),
  );
  runner.processor = processor as MessageProcessor<unknown>;

  let connected = false;
  let connecting: Promise<void> | undefined;
  let started: Promise<void> | undefined;
  let joined = false;
  let crashed: Error | undefined;
  let stopped = false;
  let uninstallSignals: () => void = () => undefined;

  const hooks: ClientHooks = {
    onBatch: (batch) => {
      if (!runner.rebalancing) supervisor.progress();
      return runner.onBatch(batch).catch((error: unknown) => {
        supervisor.notice(error);
        throw error;
      });
    },
    onRebalancing: () => {
      supervisor.rebalanceStarted();
      runner.onRebalancing();
    },
    onAssigned: (assigned) => {
      const previous = control.assigned;
      control.assign(assigned);
      runner.onAssigned();
      supervisor.assigned();
      joined = true;
      crashed = undefined;
      logger.info({ assigned }, 'partitions assigned');
      if (events.has('group.rebalanced')) {
        const now = new Set(assigned.map((tp) => `${tp.topic}:${tp.partition}`));
        const revoked = previous.filter((tp) => !now.has(`${tp.topic}:${tp.partition}`));
        events.emit('group.rebalanced', { assigned, revoked });
      }
    },
    onCrash: (error, restart) => {
      crashed = error;
      logger.error({ err: error, restart }, 'consumer crashed');
      events.emit('consumer.crashed', { error, restart });
      if (restart) supervisor.rebalanceStarted();
      else if (stopping === undefined) void recoverOrExit(error);
    },
    onUndecodable: (batch) => {
      const error = new KafkaConsumerError('DECODE_FAILED', describeUndecodable(batch, options.groupId), {
        cause: batch.error,
      });
      logger.error(
        { err: error, topic: batch.topic, partition: batch.partition, offset: batch.offset },
        'batch cannot be decoded',
      );
      control.hold({ ...batch, reason: 'undecodable-batch', error, attempts: 0 });
      events.emit('error', { error });
    },
  };

  supervisor.attach(hooks);

  /** A crash KafkaJS will not restart from: restart the client ourselves; give up after a few tries. */
  const recoverOrExit = async (error: Error): Promise<void> => {
    let outcome = await supervisor.recoverFromCrash(error);
    while (outcome === 'failed') outcome = await supervisor.recoverFromCrash(error);
    if (outcome === 'exhausted' && stopping === undefined && options.shutdown.exitProcess) {
      await disconnect().finally(() => exit(EXIT_CODES.CRASH));
    }
  };

  const connect = (): Promise<void> => {
    if (stopping !== undefined)
      return Promise.reject(
        new KafkaConsumerError('STATE_INVALID', 'consumer was disconnected; create a new one'),
      );
    connecting ??= (async () => {
      await client.connect();
      if (publisher !== undefined) {
        try {
          await publisher.connect();
        } catch (error) {
          throw new ClientError(`Could not connect the dead-letter producer: ${toError(error).message}`, {
            cause: error,
            retriable: true,
          });
        }
      }
      connected = true;
      logger.info({ brokers: options.brokers, groupId: options.groupId }, 'consumer connected');
    })();
    connecting.catch(() => {
      connecting = undefined;
    });
    return connecting;
  };

  const run = (): Promise<void> => {
    started ??= (async () => {
      await connect();
      if (options.shutdown.signals.length > 0) {
        uninstallSignals = installSignalHandlers({
          signals: options.shutdown.signals,
          exitProcess: options.shutdown.exitProcess,
          logger,
          stop: disconnect,
          exit,
        });
      }
      strategy.start(runner.commitNow);
      await client.start(hooks);
      logger.info({ topics: options.topics, commit: options.commit.strategy }, 'consumer running');
    })();
    started.catch((error: unknown) => {
      // A failed start (connect/subscribe) can be retried with run(); nothing stays installed.
      logger.error({ err: error }, 'consumer failed to start');
      crashed = toError(error); // health() names why the start failed (until a successful join)
      strategy.stop();
      uninstallSignals();
      uninstallSignals = () => undefined;
      if (stopping === undefined) started = undefined;
    });
    return started;
  };

  const disconnect = (): Promise<ShutdownReport> => {
    stopping ??= (async () => {
      const begin = Date.now();
      supervisor.stop();
      const result =
        started === undefined
          ? { drained: true, abandoned: 0 }
          : await runner.drain(options.shutdown.drainTimeoutMs);
      strategy.stop();
      try {
        await bounded(client.stop(), STOP_TIMEOUT_MS, 'leaving the group');
      } catch (error) {
        logger.error({ err: error }, 'stopping the client failed');
        events.emit('error', { error: toError(error) });
      }
      if (publisher !== undefined) {
        try {
          await bounded(publisher.close(), STOP_TIMEOUT_MS, 'closing the dead-letter producer');
        } catch (error) {
          logger.error({ err: error }, 'closing the dead-letter producer failed');
        }
      }
      connected = false;
      stopped = true;
      uninstallSignals();
      const report: ShutdownReport = { ...result, durationMs: Date.now() - begin };
      logger.info({ ...report }, 'consumer stopped');
      events.emit('consumer.stopped', report);
      return report;
    })();
    return stopping;
  };

  const health = (): HealthReport =>
    healthReport({
      stopped: stopped || stopping !== undefined,
      joined,
      connected,
      running: started !== undefined && stopping === undefined && crashed === undefined,
      crashed,
      stuck: supervisor.stuck,
      assigned: control.assigned,
      held: control.held(),
      inFlight: processor.inFlight,
      lastProgressAt: runner.lastProgressAt,
      lastCommitAt: committer.lastCommitAt,
    });

  return {
    connect,
    run,
    disconnect,
    health,
    resumePartition: (topic, partition) => control.release(topic, partition),
    on: (name, listener) => events.on(name, listener),
    once: (name, listener) => events.once(name, listener),
    off: (name, listener) => events.off(name, listener),
    options: options as ResolvedOptions<unknown>,
  };
}
