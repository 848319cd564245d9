import type { ClientHooks, ConsumerClient, TopicAdmin } from './client/port.js';
import type { TierParts } from './clients.js';
import type { CoreParts } from './core/parts.js';
import type { DeadLetterPublisher } from './dead-letter/publisher.js';
import { ensureDeadLetterTopics } from './dead-letter/topics.js';
import { ClientError, KafkaConsumerError, toError } from './errors.js';
import type { TypedEmitter } from './events.js';
import type { TopicWait } from './group/missing-topics.js';
import type { RejoinSupervisor } from './group/supervisor.js';
import type { Lifecycle } from './lifecycle.js';
import type { ResolvedOptions } from './options.js';
import { ensureRetryTierTopics } from './retry-tiers/topics.js';
import { installSignalHandlers } from './shutdown.js';
import { stopConsumer } from './stop.js';
import type { ShutdownReport } from './types.js';

export interface SessionParts {
  options: ResolvedOptions<unknown>;
  core: CoreParts;
  client: ConsumerClient;
  publisher: DeadLetterPublisher | undefined;
  tiers: TierParts | undefined;
  admin: TopicAdmin;
  lifecycle: Lifecycle;
  supervisor: RejoinSupervisor;
  /** Waits for (or refuses) source topics that do not exist yet (KAFKA_MISSING_TOPICS). */
  topicWait: TopicWait;
  events: TypedEmitter;
  exit: (code: number) => void;
}

/**
 * The start and stop state machine: connect (once; retried after a failure), run (connect, signal
 * handlers, the commit timer, the client's start; a failed start leaves nothing installed and may
 * be retried), disconnect (once, never rejects). Each call returns the one promise of its step.
 */
export class Session {
  #connecting: Promise<void> | undefined;
  #started: Promise<void> | undefined;
  #stopping: Promise<ShutdownReport> | undefined;
  #uninstallSignals: () => void = () => undefined;

  constructor(
    private readonly parts: SessionParts,
    private readonly hooks: ClientHooks,
  ) {}

  readonly connect = (): Promise<void> => {
    const { lifecycle, client, admin, publisher, tiers, options } = this.parts;
    if (lifecycle.stopping)
      return Promise.reject(
        new KafkaConsumerError('STATE_INVALID', 'consumer was disconnected; create a new one'),
      );
    this.#connecting ??= (async () => {
      lifecycle.to('connecting');
      await client.connect();
      // Source topics first: no dead-letter topic is created for a topic that does not exist.
      await this.parts.topicWait.ready();
      await ensureDeadLetterTopics(admin, options, options.logger);
      await ensureRetryTierTopics(admin, options, tiers?.model, options.logger);
      for (const [what, producer] of [
        ['dead-letter', publisher],
        ['retry-tier', tiers?.writer],
      ] as const) {
        if (producer === undefined) continue;
        try {
          await producer.connect();
        } catch (error) {
          throw new ClientError(`Could not connect the ${what} producer: ${toError(error).message}`, {
            cause: error,
            retriable: true,
          });
        }
      }
      lifecycle.markConnected();
      options.logger.info({ brokers: options.brokers, groupId: options.groupId }, 'consumer connected');
    })();
    this.#connecting.catch((error: unknown) => {
      lifecycle.startFailed(toError(error));
      this.#connecting = undefined;
    });
    return this.#connecting;
  };

  readonly run = (): Promise<void> => {
    const { lifecycle, options, core, client } = this.parts;
    this.#started ??= (async () => {
      await this.connect();
      lifecycle.startFailed(undefined);
      if (options.shutdown.signals.length > 0) {
        this.#uninstallSignals = installSignalHandlers({
          signals: options.shutdown.signals,
          exitProcess: options.shutdown.exitProcess,
          logger: options.logger,
          stop: this.disconnect,
          exit: this.parts.exit,
        });
      }
      core.strategy.start(() => {
        if (lifecycle.state === 'running') core.pipeline.request('interval');
      });
      // Tier topics are read from their earliest offset while the group has none there: a message
      // that went to a tier before the group's first commit on it is never skipped.
      const tierTopics = this.parts.tiers?.model.topics ?? [];
      await client.start(this.hooks, { fromBeginning: [...this.parts.topicWait.appeared, ...tierTopics] });
      options.logger.info(
        { topics: options.topics, commit: options.commit.strategy, ordering: options.ordering },
        'consumer running',
      );
    })();
    this.#started.catch((error: unknown) => {
      // run() rejects with the error and health() names it: the caller reports it (a service's one
      // "failed to start" line), so it is logged here at debug only.
      lifecycle.startFailed(toError(error));
      options.logger.debug({ err: error }, 'consumer failed to start (run() rejects with this error)');
      core.strategy.stop();
      this.#uninstallSignals();
      this.#uninstallSignals = () => undefined;
      if (!lifecycle.stopping) this.#started = undefined;
    });
    return this.#started;
  };

  readonly disconnect = (): Promise<ShutdownReport> => {
    const { supervisor, core, options } = this.parts;
    this.#stopping ??= (async () => {
      supervisor.stop();
      core.strategy.stop();
      const report = await stopConsumer({
        ...this.parts,
        pipeline: core.pipeline,
        control: core.control,
        work: core.scheduler,
        logger: options.logger,
        drainTimeoutMs: options.shutdown.drainTimeoutMs,
        started: this.#started !== undefined,
      });
      this.#uninstallSignals();
      return report;
    })();
    return this.#stopping;
  };
}
