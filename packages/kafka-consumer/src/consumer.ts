import type { ConsumerDependencies, KafkaConsumer } from './api.js';
import { createClients } from './clients.js';
import { buildCore } from './core/parts.js';
import { TypedEmitter } from './events.js';
import { consumerFace } from './face.js';
import { recoverOrExit } from './group/crash.js';
import { clientHooks } from './group/hooks.js';
import { TopicWait } from './group/missing-topics.js';
import { revokeWork } from './group/revoke.js';
import { RejoinSupervisor } from './group/supervisor.js';
import { Lifecycle } from './lifecycle.js';
import { type ConsumerOptions, type ResolvedOptions, resolveOptions } from './options.js';
import { Session } from './session.js';

export type { ConsumerDependencies, KafkaConsumer };

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
  const { client, publisher, tiers, admin } = createClients(options, dependencies.clientFactory);
  const topicWait = new TopicWait({
    admin,
    topics: options.topics,
    mode: options.missingTopics,
    logger,
    stopping: lifecycle.stoppingSignal,
  });
  const revoke = () => {
    // A retry-tier partition's due timer must not seek a partition this member may lose.
    core.control.clearDue();
    return revokeWork({
      lifecycle,
      work: core.scheduler,
      pipeline: core.pipeline,
      logger,
      boundMs: Math.max(1000, options.rebalanceTimeoutMs - REVOKE_MARGIN_MS),
      heartbeat: () => client.heartbeat(),
      heartbeatIntervalMs: options.heartbeatIntervalMs,
    });
  };
  const supervisor = new RejoinSupervisor({
    client,
    events,
    logger,
    timeoutMs: options.rebalanceTimeoutMs + options.sessionTimeoutMs,
    stopping: () => lifecycle.stopping,
    stoppingSignal: lifecycle.stoppingSignal,
    beforeRestart: revoke,
  });
  const core = buildCore({
    options,
    client,
    publisher,
    tiers,
    events,
    lifecycle,
    onCommitFailed: (e) => supervisor.notice(e),
    metadataLimit: dependencies.metadataLimit,
  });
  const crashedForGood = (error: Error) =>
    void recoverOrExit({
      error,
      supervisor,
      lifecycle,
      exitProcess: options.shutdown.exitProcess,
      disconnect: session.disconnect,
      exit,
    });
  const hooks = clientHooks({
    core,
    client,
    lifecycle,
    supervisor,
    events,
    logger,
    groupId: options.groupId,
    revoke,
    crashedForGood,
  });
  supervisor.attach(hooks);
  const session = new Session(
    { options, core, client, publisher, tiers, admin, lifecycle, supervisor, topicWait, events, exit },
    hooks,
  );
  return consumerFace({ options, core, client, lifecycle, supervisor, topicWait, events, session });
}
