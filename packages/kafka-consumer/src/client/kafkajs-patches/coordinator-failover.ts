/**
 * Coordinator failover for KafkaJS 2.2.4, the way the Java client does it.
 *
 * KafkaJS caches the group coordinator found at join: heartbeats go to `consumerGroup.coordinator`,
 * commits to `offsetManager.coordinator`, and the offset manager re-resolves a disconnected one only
 * as `cluster.findBroker(sameNodeId)`. When the broker hosting the coordinator dies, both keep
 * retrying it until the runner crashes (about 10 s) and KafkaJS restarts the consumer after another
 * backoff (about 10 s), a new member that re-joins; every commit in between fails, and what was
 * processed meanwhile is processed again. When the coordinator merely moves (a restarted node takes
 * its leadership back), "not the coordinator" on a heartbeat makes KafkaJS re-join the group.
 *
 * Patched here, on the prototypes (KafkaJS looks these methods up per call, as it does the Fetch
 * builder `undecodable.ts` wraps): a heartbeat, a connect or a commit that finds the coordinator
 * unreachable or moved starts a {@link CoordinatorSearch} (FindCoordinator every 250 ms, at most
 * 30 s). Meanwhile heartbeats are skipped (the successor starts the member's session afresh) and
 * commits wait; then both go on at the successor with the same member id and generation: no
 * re-join, and the commit that failed is sent there. A search that gives up hands its error to
 * KafkaJS's own path (the heartbeat throws it: retries, crash, restart).
 */
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import { coordinatorLoss } from '../errors.js';
import { CoordinatorSearch } from './coordinator-search.js';
import { patchFetchRecovery } from './leader-failover.js';
import { missingMember } from './registry.js';
import { watched, watchGroup } from './watched-groups.js';

/** The slice of KafkaJS's Broker this module uses. */
interface Broker {
  nodeId?: number;
  isConnected(): boolean;
  describeGroups(args: { groupIds: string[] }): Promise<unknown>;
}

interface Cluster {
  findGroupCoordinatorMetadata(args: { groupId: string; coordinatorType: number }): Promise<{
    coordinator: { nodeId: number };
  }>;
  findBroker(args: { nodeId: number }): Promise<Broker>;
  logger?: { warn(message: string, extra?: object): void; info(message: string, extra?: object): void };
}

interface ConsumerGroupLike {
  cluster: Cluster;
  groupId: string;
  coordinator: Broker | null;
  offsetManager: { coordinator: Broker } | null;
}

interface OffsetManagerLike {
  cluster: Cluster;
  groupId: string;
  coordinator: Broker;
}

type Method<T> = (this: T, ...args: unknown[]) => Promise<unknown>;

/** Between FindCoordinator attempts, and the longest search before KafkaJS's own path takes over. */
export const SEARCH_INTERVAL_MS = 250;
export const SEARCH_DEADLINE_MS = 30_000;

const searches = new WeakMap<Cluster, Map<string, CoordinatorSearch<Broker>>>();
const lostNodeTriedAt = new WeakMap<Broker, number>();
const RETRY_LOST_NODE_MS = 2000;

function searchOf(cluster: Cluster, groupId: string): CoordinatorSearch<Broker> {
  let byGroup = searches.get(cluster);
  if (byGroup === undefined) {
    byGroup = new Map();
    searches.set(cluster, byGroup);
  }
  let search = byGroup.get(groupId);
  if (search === undefined) {
    const log = cluster.logger;
    search = new CoordinatorSearch<Broker>({
      locate: async (from) => {
        const { coordinator } = await cluster.findGroupCoordinatorMetadata({ groupId, coordinatorType: 0 });
        // Still named (not fenced yet): reconnecting to the lost node every attempt only piles up
        // refused sockets; try it again at most every RETRY_LOST_NODE_MS (it may be back).
        if (coordinator.nodeId === from.nodeId) {
          if (Date.now() - (lostNodeTriedAt.get(from) ?? 0) < RETRY_LOST_NODE_MS)
            throw new Error(`node ${from.nodeId} is still named the coordinator`);
          lostNodeTriedAt.set(from, Date.now());
        }
        const broker = await cluster.findBroker({ nodeId: coordinator.nodeId });
        // Throws "not the coordinator" (stale metadata), "loading" or a connection error until the
        // successor has taken the group over (the member needs only DESCRIBE, implied by READ).
        await broker.describeGroups({ groupIds: [groupId] });
        return broker;
      },
      intervalMs: SEARCH_INTERVAL_MS,
      deadlineMs: SEARCH_DEADLINE_MS,
      sleep: (ms) => sleep(ms),
      now: Date.now,
      active: () => watched(groupId),
      onLost: (from, error) =>
        log?.warn('Group coordinator lost; looking for its successor (heartbeats pause, commits wait)', {
          groupId,
          nodeId: from.nodeId,
          error: (error as Error)?.message,
        }),
      onFound: (from, to, tookMs, attempts) =>
        log?.warn('Group coordinator found; heartbeats and commits go on there, same member and generation', {
          groupId,
          from: from.nodeId,
          to: to.nodeId,
          tookMs,
          attempts,
        }),
      onFailed: (from, error, tookMs) =>
        log?.warn('No successor of the group coordinator found; leaving it to the consumer to re-join', {
          groupId,
          nodeId: from.nodeId,
          tookMs,
          error: (error as Error)?.message,
        }),
    });
    byGroup.set(groupId, search);
  }
  return search;
}

function patchConsumerGroup(proto: { heartbeat: Method<ConsumerGroupLike> }): void {
  const heartbeat = proto.heartbeat;
  proto.heartbeat = async function (this: ConsumerGroupLike, ...args: unknown[]) {
    const cached = this.coordinator;
    if (cached === null || !watched(this.groupId)) return heartbeat.apply(this, args);
    const search = searchOf(this.cluster, this.groupId);
    const current = search.current(cached);
    if (current !== cached) {
      this.coordinator = current;
      if (this.offsetManager !== null) this.offsetManager.coordinator = current;
    } else if (search.searching(cached)) {
      return undefined;
    }
    try {
      return await heartbeat.apply(this, args);
    } catch (error) {
      if (coordinatorLoss(error) === undefined || this.coordinator === null) throw error;
      search.lost(this.coordinator, error);
      return undefined;
    }
  };
}

function patchOffsetManager(proto: {
  getCoordinator: Method<OffsetManagerLike>;
  commitOffsets: Method<OffsetManagerLike>;
}): void {
  const commitOffsets = proto.commitOffsets;
  const getCoordinator = proto.getCoordinator;
  proto.getCoordinator = async function (this: OffsetManagerLike, ...args: unknown[]) {
    if (!watched(this.groupId)) return getCoordinator.apply(this, args);
    const search = searchOf(this.cluster, this.groupId);
    this.coordinator = await search.settle(this.coordinator);
    if (this.coordinator.isConnected()) return this.coordinator;
    try {
      this.coordinator = await this.cluster.findBroker(this.coordinator as { nodeId: number });
    } catch (error) {
      if (coordinatorLoss(error) === undefined) throw error;
      search.lost(this.coordinator, error);
      this.coordinator = await search.settle(this.coordinator);
    }
    return this.coordinator;
  };
  proto.commitOffsets = async function (this: OffsetManagerLike, ...args: unknown[]) {
    try {
      return await commitOffsets.apply(this, args);
    } catch (error) {
      if (coordinatorLoss(error) === undefined || !watched(this.groupId)) throw error;
      // Found unreachable or moved: send the same commit (same generation) to the successor.
      const search = searchOf(this.cluster, this.groupId);
      search.lost(this.coordinator, error);
      this.coordinator = await search.settle(this.coordinator);
      return commitOffsets.apply(this, args);
    }
  };
}

/**
 * Gives the consumer group `groupId` of this process the coordinator failover, until the returned
 * function is called (the patch itself is installed by install.ts, the one install point).
 */
export function watchCoordinator(groupId: string): () => void {
  return watchGroup(groupId);
}

/** Installs the failover patches; returns why they could not be (KafkaJS keeps its behaviour), or undefined. */
export function installCoordinatorFailover(): string | undefined {
  const require = createRequire(import.meta.url);
  let ConsumerGroup: {
    prototype: { heartbeat: Method<ConsumerGroupLike>; recoverFromFetch: Method<ConsumerGroupLike> };
  };
  let OffsetManager: {
    prototype: { getCoordinator: Method<OffsetManagerLike>; commitOffsets: Method<OffsetManagerLike> };
  };
  try {
    ConsumerGroup = require('kafkajs/src/consumer/consumerGroup.js');
    OffsetManager = require('kafkajs/src/consumer/offsetManager/index.js');
  } catch (error) {
    return `KafkaJS's ConsumerGroup or OffsetManager cannot be loaded (${(error as Error).message})`;
  }
  const missing =
    missingMember(ConsumerGroup.prototype, ['heartbeat', 'recoverFromFetch'], 'ConsumerGroup.prototype') ??
    missingMember(OffsetManager.prototype, ['getCoordinator', 'commitOffsets'], 'OffsetManager.prototype');
  if (missing !== undefined) return missing;
  const marked = ConsumerGroup.prototype as { __kafkakitFailover?: true };
  if (marked.__kafkakitFailover) return undefined;
  marked.__kafkakitFailover = true;
  patchConsumerGroup(ConsumerGroup.prototype);
  patchFetchRecovery(ConsumerGroup.prototype as unknown as Parameters<typeof patchFetchRecovery>[0]);
  patchOffsetManager(OffsetManager.prototype);
  return undefined;
}
