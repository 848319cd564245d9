import type { ConsumerDependencies, KafkaConsumer } from './api.js';
import type { ClientHooks } from './client/port.js';
import { describeUndecodable } from './client/undecodable.js';
import { createClients } from './clients.js';
import { createCommitStrategy } from './commit/index.js';
import { CommitPipeline } from './commit/pipeline.js';
import { ensureDeadLetterTopics } from './dead-letter/topics.js';
import { ClientError, KafkaConsumerError, toError } from './errors.js';
import { TypedEmitter } from './events.js';
import { TopicWait } from './group/missing-topics.js';
import { revokeWork } from './group/revoke.js';
import { RejoinSupervisor } from './group/supervisor.js';
import { healthReport } from './health.js';
import { Lifecycle } from './lifecycle.js';
import { type ConsumerOptions, type ResolvedOptions, resolveOptions } from './options.js';
import { Dispatcher } from './processing/dispatcher.js';
import { ConcurrencyLimit } from './processing/limit.js';
import { MessageProcessor } from './processing/message.js';
import { OffsetTracker } from './processing/offsets.js';
import { PartitionControl } from './processing/partitions.js';
import { PartitionRunner } from './processing/runner.js';
import { EXIT_CODES, installSignalHandlers } from './shutdown.js';
import { stopConsumer } from './stop.js';
import type { ShutdownReport } from './types.js';

export type { ConsumerDependencies, KafkaConsumer };

/** How often a batch asks the client for a (due) heartbeat between messages. */
const HEARTBEAT_CHECK_MS = 100;
/** A revoke waits for in-flight handlers this much less than the rebalance timeout, then aborts them. */
const REVOKE_MARGIN_MS = 3000;

/** Creates a consumer. Synchronous; throws ConfigError at once on invalid options. Builds every part, in order. */
export function createConsumer<T = Buffer | null>(
  input: ConsumerOptions<T>,
  dependencies: ConsumerDependencies = {},
): KafkaConsumer {
  const options = resolveOptions(input) as ResolvedOptions<unknown>;
  const { logger } = options;
  const exit = dependencies.exit ?? ((code: number) => process.exit(code));
  const events = new TypedEmitter(logger);
  const lifecycle = new Lifecycle(events);
  const { client, publisher, admin } = createClients(options, dependencies.clientFactory);
  const topicWait = new TopicWait({
    admin,
    topics: options.topics,
    mode: options.missingTopics,
    logger,
    stopping: lifecycle.stoppingSignal,
  });
  const tracker = new OffsetTracker((tp, count) =>
    logger.debug(
      { ...tp, finished: count },
      'finished offsets do not fit the commit metadata; committed without',
    ),
  );
  const supervisor = new RejoinSupervisor({
    client,
    events,
    logger,
    timeoutMs: options.rebalanceTimeoutMs + options.sessionTimeoutMs,
    stopping: () => lifecycle.stopping,
    stoppingSignal: lifecycle.stoppingSignal,
    beforeRestart: () => revoke(),
  });
  const pipeline = new CommitPipeline(tracker, (offsets) => client.commit(offsets), events, logger, {
    withMetadata: options.ordering !== 'partition',
    attempts: 5,
    initialDelayMs: 100,
    onFailed: (error) => supervisor.notice(error),
  });
  const strategy = createCommitStrategy(options.commit);
  const control = new PartitionControl(
    client,
    events,
    options.ordering === 'partition' ? undefined : (tp) => void (work as Dispatcher).rewind(tp),
  );
  const limit = options.ordering === 'partition' ? undefined : new ConcurrencyLimit(options.concurrency);
  const processor = new MessageProcessor(options, events, control, publisher, lifecycle, limit);
  const common = { tracker, pipeline, strategy, control, processor, lifecycle };
  const maxUncommitted = options.commit.maxUncommitted;
  const work =
    options.ordering === 'partition'
      ? new PartitionRunner({
          ...common,
          maxUncommitted,
          heartbeatCheckMs: Math.min(HEARTBEAT_CHECK_MS, options.heartbeatIntervalMs),
        })
      : new Dispatcher({
          ...common,
          ordering: options.ordering,
          limit: limit as ConcurrencyLimit,
          maxBuffered: options.maxBufferedPerPartition,
          heartbeatIntervalMs: options.heartbeatIntervalMs,
          maxUncommitted,
          client,
          logger,
        });

  /** Before any (re-)join: start nothing more, wait for running handlers (bounded), commit what finished. */
  const revoke = () =>
    revokeWork({
      lifecycle,
      work,
      pipeline,
      logger,
      boundMs: Math.max(1000, options.rebalanceTimeoutMs - REVOKE_MARGIN_MS),
      heartbeat: () => client.heartbeat(),
      heartbeatIntervalMs: options.heartbeatIntervalMs,
    });

  const hooks: ClientHooks = {
    onBatch: (batch) => {
      if (lifecycle.state === 'running') supervisor.progress();
      if (events.has('batch.received') && batch.messages.length > 0) {
        events.emit('batch.received', {
          topic: batch.topic,
          partition: batch.partition,
          highWatermark: batch.highWatermark,
          firstOffset: (batch.messages[0] as { offset: string }).offset,
          lastOffset: (batch.messages[batch.messages.length - 1] as { offset: string }).offset,
          count: batch.messages.length,
        });
      }
      return work.onBatch(batch).catch((error: unknown) => {
        supervisor.notice(error);
        throw error;
      });
    },
    onRebalancing: () => {
      supervisor.rebalanceStarted();
      if (lifecycle.state === 'running') lifecycle.to('rebalancing');
    },
    beforeJoin: () => (lifecycle.stopping ? Promise.resolve() : revoke()),
    onAssigned: (assigned) => {
      const previous = control.assigned;
      tracker.newGeneration(assigned);
      lifecycle.assigned();
      if (work instanceof Dispatcher) work.assigned(assigned);
      client.resume(assigned.filter((tp) => !control.isPaused(tp.topic, tp.partition)));
      control.assign(assigned);
      supervisor.assigned();
      logger.info({ assigned }, 'partitions assigned');
      if (events.has('group.rebalanced')) {
        const now = new Set(assigned.map((tp) => `${tp.topic}:${tp.partition}`));
        const revoked = previous.filter((tp) => !now.has(`${tp.topic}:${tp.partition}`));
        events.emit('group.rebalanced', { assigned, revoked });
      }
    },
    onCrash: (error, restart) => {
      lifecycle.crashed = error;
      lifecycle.to('crashed');
      logger.error({ err: error, restart }, 'consumer crashed');
      events.emit('consumer.crashed', { error, restart });
      if (restart) supervisor.rebalanceStarted();
      else if (!lifecycle.stopping) void recoverOrExit(error);
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
    if (outcome === 'exhausted' && !lifecycle.stopping && options.shutdown.exitProcess) {
      await disconnect().finally(() => exit(EXIT_CODES.CRASH));
    }
  };

  let connecting: Promise<void> | undefined;
  let started: Promise<void> | undefined;
  let stopping: Promise<ShutdownReport> | undefined;
  let uninstallSignals: () => void = () => undefined;

  const connect = (): Promise<void> => {
    if (lifecycle.stopping)
      return Promise.reject(
        new KafkaConsumerError('STATE_INVALID', 'consumer was disconnected; create a new one'),
      );
    connecting ??= (async () => {
      lifecycle.to('connecting');
      await client.connect();
      // Source topics first: no dead-letter topic is created for a topic that does not exist.
      await topicWait.ready();
      await ensureDeadLetterTopics(admin, options, logger);
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
      lifecycle.connected = true;
      logger.info({ brokers: options.brokers, groupId: options.groupId }, 'consumer connected');
    })();
    connecting.catch((error: unknown) => {
      lifecycle.startError = toError(error);
      connecting = undefined;
    });
    return connecting;
  };

  const run = (): Promise<void> => {
    started ??= (async () => {
      await connect();
      lifecycle.startError = undefined;
      if (options.shutdown.signals.length > 0) {
        uninstallSignals = installSignalHandlers({
          signals: options.shutdown.signals,
          exitProcess: options.shutdown.exitProcess,
          logger,
          stop: disconnect,
          exit,
        });
      }
      strategy.start(() => {
        if (lifecycle.state === 'running') pipeline.request('interval');
      });
      await client.start(hooks, { fromBeginning: topicWait.appeared });
      logger.info(
        { topics: options.topics, commit: options.commit.strategy, ordering: options.ordering },
        'consumer running',
      );
    })();
    started.catch((error: unknown) => {
      // A failed start (connect/subscribe) can be retried with run(); nothing stays installed.
      // run() rejects with the error and health() names it: the caller reports it (a service's
      // one "failed to start" line), so it is logged here at debug only, not a second time as an error.
      lifecycle.startError = toError(error);
      logger.debug({ err: error }, 'consumer failed to start (run() rejects with this error)');
      strategy.stop();
      uninstallSignals();
      uninstallSignals = () => undefined;
      if (!lifecycle.stopping) started = undefined;
    });
    return started;
  };

  const disconnect = (): Promise<ShutdownReport> => {
    stopping ??= (async () => {
      supervisor.stop();
      strategy.stop();
      const report = await stopConsumer({
        lifecycle,
        client,
        publisher,
        admin,
        pipeline,
        control,
        work,
        events,
        logger,
        drainTimeoutMs: options.shutdown.drainTimeoutMs,
        started: started !== undefined,
      });
      uninstallSignals();
      return report;
    })();
    return stopping;
  };

  return {
    connect,
    run,
    disconnect,
    health: () =>
      healthReport({
        lifecycle,
        stuck: supervisor.stuck,
        assigned: control.assigned,
        held: control.held(),
        inFlight: work.inFlight,
        lastProgressAt: work.lastProgressAt,
        lastCommitAt: pipeline.lastCommitAt,
        missingTopics: topicWait.missing,
      }),
    resumePartition: (topic, partition) => control.release(topic, partition),
    on: (name, listener) => events.on(name, listener),
    once: (name, listener) => events.once(name, listener),
    off: (name, listener) => events.off(name, listener),
    options,
  };
}
