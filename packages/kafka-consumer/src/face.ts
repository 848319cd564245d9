import type { KafkaConsumer } from './api.js';
import type { ConsumerClient } from './client/port.js';
import type { CoreParts } from './core/parts.js';
import type { TypedEmitter } from './events.js';
import type { TopicWait } from './group/missing-topics.js';
import type { RejoinSupervisor } from './group/supervisor.js';
import { healthReport } from './health.js';
import type { Lifecycle } from './lifecycle.js';
import { readOffsets } from './offsets-read.js';
import type { ResolvedOptions } from './options.js';
import type { Session } from './session.js';

export interface FaceParts {
  options: ResolvedOptions<unknown>;
  core: CoreParts;
  client: ConsumerClient;
  lifecycle: Lifecycle;
  supervisor: RejoinSupervisor;
  topicWait: TopicWait;
  events: TypedEmitter;
  session: Session;
}

const NO_DIAGNOSTICS = { problems: [], warnings: [] };

/** What the user holds: the session's verbs, `health()` derived from the parts, events. */
export function consumerFace(parts: FaceParts): KafkaConsumer {
  const { options, core, client, lifecycle, supervisor, topicWait, events, session } = parts;
  return {
    connect: session.connect,
    run: session.run,
    disconnect: session.disconnect,
    health: () =>
      healthReport({
        lifecycle,
        stuck: supervisor.stuck,
        assigned: core.control.assigned,
        held: core.control.held(),
        blocked: core.scheduler.blocked(),
        waitingForDependency: core.dependencies.report(),
        client: client.diagnostics?.() ?? NO_DIAGNOSTICS,
        inFlight: core.scheduler.inFlight,
        lastProgressAt: core.scheduler.lastProgressAt,
        lastCommitAt: core.pipeline.lastCommitAt,
        missingTopics: topicWait.missing,
      }),
    resumePartition: (topic, partition) => core.control.release(topic, partition),
    readOffsets: () => readOffsets(client, options.topics),
    on: (name, listener) => events.on(name, listener),
    once: (name, listener) => events.once(name, listener),
    off: (name, listener) => events.off(name, listener),
    options,
  };
}
