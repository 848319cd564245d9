/**
 * A partition leader that died, for KafkaJS 2.2.4's fetch loop. A Fetch to the dead broker fails with
 * a connection error ("connect ECONNREFUSED"), which `consumerGroup.recoverFromFetch` does not
 * handle: it reaches the runner's retry loop, which after five tries (about 10 s) crashes the
 * consumer, and KafkaJS restarts it as a new member after another backoff: a re-join, and every
 * partition's uncommitted work is done again. That is before KRaft has even fenced the broker
 * (`broker.session.timeout.ms`, 9 s) and elected new leaders.
 *
 * Patched here as the Java client behaves: the node is backed off for RECONNECT_BACKOFF_MS and the
 * metadata refreshed; the fetchers of the other brokers go on, and once new leaders are elected the
 * metadata names them and KafkaJS's fetch manager moves the partitions there. Only for this
 * runtime's groups (`watched-groups.ts`); anything else keeps KafkaJS's handling.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { processShared } from './registry.js';
import { watched } from './watched-groups.js';

/** How long a fetcher waits after its broker refused the connection before it fetches again. */
export const RECONNECT_BACKOFF_MS = 500;
/** Refused this long without a break, the partitions that broker leads show as unavailable in health(). */
export const UNAVAILABLE_AFTER_MS = 30_000;
/** No refusal for this long: the broker answers again (or its partitions moved). */
const REFUSALS_END_MS = 5000;

interface Refusal {
  broker: string;
  since: number;
  last: number;
}

/** The latest run of refused fetches per group (process-wide, like the patch). */
const refusals = processShared('fetch-refusals', () => new Map<string, Refusal>());

export function noteRefusal(groupId: string, broker: string, now = Date.now()): void {
  const run = refusals.get(groupId);
  if (run === undefined || run.broker !== broker || now - run.last > REFUSALS_END_MS)
    refusals.set(groupId, { broker, since: now, last: now });
  else run.last = now;
}

/**
 * The broker this group's fetches have been refused by for at least UNAVAILABLE_AFTER_MS, still
 * refusing: the escalation of a dead leader (an RF-1 partition whose leader is gone would otherwise
 * look healthy while nothing is fetched).
 */
export function fetchRefusal(
  groupId: string,
  now = Date.now(),
): { broker: string; since: number } | undefined {
  const run = refusals.get(groupId);
  if (run === undefined || now - run.last > REFUSALS_END_MS || run.last - run.since < UNAVAILABLE_AFTER_MS)
    return undefined;
  return { broker: run.broker, since: run.since };
}

interface FetchingGroup {
  groupId: string;
  cluster: { refreshMetadata(): Promise<void> };
  logger?: { debug(message: string, extra?: object): void };
}

type Recover = (this: FetchingGroup, error: unknown) => Promise<unknown>;

/** Wraps `ConsumerGroup.prototype.recoverFromFetch`. */
export function patchFetchRecovery(proto: { recoverFromFetch: Recover }): void {
  const recover = proto.recoverFromFetch;
  proto.recoverFromFetch = async function (this: FetchingGroup, error: unknown) {
    const e = error as { name?: unknown; broker?: unknown } | null;
    if (e?.name !== 'KafkaJSConnectionError' || !watched(this.groupId)) return recover.call(this, error);
    noteRefusal(this.groupId, String(e.broker ?? 'unknown'));
    this.logger?.debug('Broker unreachable for a fetch; backing off, then refreshing metadata', {
      groupId: this.groupId,
      broker: e.broker,
      backoffMs: RECONNECT_BACKOFF_MS,
    });
    await sleep(RECONNECT_BACKOFF_MS);
    // Refused too while the cluster is away: the next fetch fails again and backs off again.
    await this.cluster.refreshMetadata().catch(() => undefined);
    return undefined;
  };
}
