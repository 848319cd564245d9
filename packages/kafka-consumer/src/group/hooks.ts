import type { ClientHooks, ConsumerClient } from '../client/port.js';
import { describeUndecodable } from '../client/undecodable-text.js';
import type { CoreParts } from '../core/parts.js';
import { KafkaConsumerError } from '../errors.js';
import type { TypedEmitter } from '../events.js';
import type { Lifecycle } from '../lifecycle.js';
import type { Logger } from '../logger.js';
import type { TopicPartition } from '../types.js';
import type { RejoinSupervisor } from './supervisor.js';

export interface HookParts {
  core: CoreParts;
  client: ConsumerClient;
  lifecycle: Lifecycle;
  supervisor: RejoinSupervisor;
  events: TypedEmitter;
  logger: Logger;
  groupId: string;
  /** Before any (re-)join: start nothing more, wait for running handlers (bounded), commit. */
  revoke: () => Promise<void>;
  /** A crash the client does not restart from. */
  crashedForGood: (error: Error) => void;
}

/**
 * What the client drives, in the order a group member lives it: batches, a rebalance noticed, the
 * revoke before the JoinGroup, the new assignment (a new generation: tracker, lifecycle, the
 * scheduler's metadata read, the paused owner, in that order), crashes and undecodable batches.
 */
export function clientHooks(parts: HookParts): ClientHooks {
  const { core, lifecycle, supervisor, events, logger } = parts;
  const { scheduler, tracker, control } = core;
  return {
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
      return scheduler.onBatch(batch).catch((error: unknown) => {
        supervisor.notice(error);
        throw error;
      });
    },
    onRebalancing: () => {
      supervisor.rebalanceStarted();
      if (lifecycle.state === 'running') lifecycle.to('rebalancing');
    },
    beforeJoin: () => (lifecycle.stopping ? Promise.resolve() : parts.revoke()),
    onAssigned: (assigned) => {
      const previous = control.assigned;
      lifecycle.assigned();
      tracker.newGeneration(assigned);
      scheduler.assigned(assigned);
      control.assign(assigned);
      supervisor.assigned();
      logger.info({ assigned }, 'partitions assigned');
      if (events.has('group.rebalanced'))
        events.emit('group.rebalanced', { assigned, revoked: left(previous, assigned) });
    },
    onAssignmentChanged: (assigned) => {
      const previous = control.assigned;
      control.reassigned(assigned);
      logger.info({ assigned }, 'share assignment changed');
      if (events.has('group.rebalanced'))
        events.emit('group.rebalanced', { assigned, revoked: left(previous, assigned) });
    },
    onCrash: (error, restart) => {
      lifecycle.crash(error);
      logger.error({ err: error, restart }, 'consumer crashed');
      events.emit('consumer.crashed', { error, restart });
      if (restart) supervisor.rebalanceStarted();
      else if (!lifecycle.stopping) parts.crashedForGood(error);
    },
    onUndecodable: (batch) => {
      const error = new KafkaConsumerError('DECODE_FAILED', describeUndecodable(batch, parts.groupId), {
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
}

function left(previous: readonly TopicPartition[], now: readonly TopicPartition[]): TopicPartition[] {
  const kept = new Set(now.map((tp) => `${tp.topic}:${tp.partition}`));
  return previous.filter((tp) => !kept.has(`${tp.topic}:${tp.partition}`));
}
