/**
 * A share-group member for the runtime (KIP-932: Kafka as a queue).
 *
 * Contract, in the runtime's terms:
 * - `openShareSession(options)` connects, joins the share group and resolves with a session, or
 *   rejects with a ShareGroupError naming the cause and the fix (no share groups on the cluster,
 *   the group id taken by a consumer group, ACLs). A retriable cause (a coordinator loading) is
 *   retried until `joinTimeoutMs`.
 * - `fetch()` returns the next records this member acquired (possibly none, after at most
 *   `maxWaitMs`), each with `deliveryCount` (1 the first time: the handler's `attempt`) and
 *   `lockExpiresAt`. Records are this member's until acknowledged or until the lock runs out; then
 *   the broker gives them to another member. One fetch at a time.
 * - `acknowledge(records, 'accept' | 'release' | 'reject')`: accept = done; release = hand it back
 *   for redelivery now (deliveryCount + 1); reject = never deliver again. Acknowledgements ride on
 *   the next fetch to the partition's leader; when no fetch goes within `acknowledgeLingerMs`, an
 *   explicit ShareAcknowledge carries them. The promise resolves when the broker took them and
 *   rejects with ShareAcknowledgeError when it did not (the lock had run out, the session was
 *   reset): the record is then delivered again, to this member or another. Ignoring the promise
 *   is safe.
 * - `renew(records)` extends their locks (Kafka 4.2+, ShareAcknowledge v2); resolves with the new
 *   expiry (epoch ms). Records past `lockExpiresAt` cannot be renewed.
 * - `close()` releases every record handed out and not acknowledged, sends the last
 *   acknowledgements and closes each share session (epoch -1), then leaves the group (member
 *   epoch -1): nothing waits for a lock to run out, and the other members take the released
 *   records at once. Idempotent; bounded by the request timeout.
 * - `fatal` settles with the error that ended the membership while the session was open (ACLs
 *   revoked, group deleted): the runtime stops on it.
 */
import { randomBytes } from 'node:crypto';
import { AcknowledgeType } from './acknowledgement-batches.js';
import { type DescribedShareGroup, shareGroupDescribe } from './describe-api.js';
import { shareFailure } from './failures.js';
import { Fetcher, type FetcherLimits } from './fetcher.js';
import { KafkaJsLink, type LinkOptions } from './kafkajs-link.js';
import { ShareMembership } from './membership.js';
import { describeShareGroupOffsets, type ShareOffsets } from './offsets-api.js';
import type { ShareRecord } from './records.js';

export type AcknowledgeOutcome = 'accept' | 'release' | 'reject';

export interface ShareSessionOptions extends LinkOptions, Partial<FetcherLimits> {
  groupId: string;
  topics: string[];
  /** How long the join may take (coordinator loading, share state initialising). @default 30_000 */
  joinTimeoutMs?: number;
  rackId?: string | null;
}

export interface ShareSession {
  readonly memberId: string;
  readonly groupId: string;
  /** Settles with the error that ended the membership; never resolves otherwise. */
  readonly fatal: Promise<Error>;
  /** The group's acquisition lock duration, as the broker last said (30 s until the first fetch). */
  readonly lockDurationMs: number;
  fetch(): Promise<ShareRecord[]>;
  acknowledge(records: readonly ShareRecord[], outcome: AcknowledgeOutcome): Promise<void>;
  renew(records: readonly ShareRecord[]): Promise<number>;
  /** Sends the queued acknowledgements now (ShareAcknowledge), without fetching. */
  flush(): Promise<void>;
  /** Calls `listener` with the whole new assignment (by topic name) each time it changes. */
  onAssignment(listener: (assigned: Array<{ topic: string; partition: number }>) => void): void;
  /** The partitions assigned now; waits up to `waitMs` for the first assignment. */
  assigned(waitMs: number): Promise<Array<{ topic: string; partition: number }>>;
  /** Records handed out and not yet acknowledged. */
  held(): ShareRecord[];
  describe(): Promise<DescribedShareGroup>;
  /** Log start and end offsets of every partition of `topics` (ListOffsets). */
  endOffsets(
    topics: readonly string[],
  ): Promise<Array<{ topic: string; partition: number; start: string; end: string }>>;
  /** The group's progress per partition (DescribeShareGroupOffsets v1, Kafka 4.2+). */
  shareOffsets(): Promise<ShareOffsets[]>;
  close(): Promise<void>;
}

const TYPES = {
  accept: AcknowledgeType.ACCEPT,
  release: AcknowledgeType.RELEASE,
  reject: AcknowledgeType.REJECT,
};

export async function openShareSession(options: ShareSessionOptions): Promise<ShareSession> {
  const link = new KafkaJsLink(options);
  const username = (options.sasl as { username?: unknown } | undefined)?.username;
  const principal = typeof username === 'string' ? `User:${username}` : undefined;
  const subject = { groupId: options.groupId, topics: options.topics, principal };
  // A member id is the client's own (KIP-848/932): a random UUID as Kafka prints one.
  const memberId = randomBytes(16).toString('base64url');
  let failFatal: (error: Error) => void = () => undefined;
  const fatal = new Promise<Error>((resolve) => {
    failFatal = resolve;
  });
  const listeners: Array<(assigned: Array<{ topic: string; partition: number }>) => void> = [];
  let assignments = 0;
  const fetcher = new Fetcher({
    link,
    groupId: options.groupId,
    memberId,
    topics: options.topics,
    limits: options,
  });
  const membership = new ShareMembership({
    link,
    principal,
    groupId: options.groupId,
    memberId,
    topics: options.topics,
    rackId: options.rackId ?? null,
    onAssignment: (assignment) => {
      fetcher.assign(assignment);
      if (listeners.length === 0) return;
      // Names are resolved asynchronously: only the latest assignment is reported.
      const seq = ++assignments;
      void fetcher.assigned(0).then(
        (named) => {
          if (seq === assignments) for (const l of listeners) l(named);
        },
        () => undefined,
      );
    },
    onFatal: (error) => failFatal(error),
  });
  try {
    await link.connect();
    await membership.join(options.joinTimeoutMs ?? 30_000);
  } catch (error) {
    await link.disconnect().catch(() => undefined);
    throw shareFailure('join', subject, error);
  }
  let closing: Promise<void> | undefined;
  const session: ShareSession = {
    memberId,
    groupId: options.groupId,
    fatal,
    get lockDurationMs() {
      return fetcher.lockDurationMs;
    },
    fetch: () => {
      if (closing) return Promise.reject(new Error('The share session is closed'));
      return fetcher.fetch();
    },
    acknowledge: (records, outcome) => {
      const done = fetcher.acknowledge(records, TYPES[outcome]);
      done.catch(() => undefined);
      return done;
    },
    renew: (records) => fetcher.renew(records),
    flush: () => fetcher.flush(),
    onAssignment: (listener) => {
      listeners.push(listener);
    },
    assigned: (waitMs) => fetcher.assigned(waitMs),
    held: () => fetcher.outstanding(),
    describe: async () => {
      const coordinator = await link.coordinator(options.groupId);
      const [group] = await coordinator.send(shareGroupDescribe([options.groupId]));
      if (group === undefined) throw new Error(`ShareGroupDescribe returned no group ${options.groupId}`);
      return group;
    },
    endOffsets: (topics) => link.endOffsets(topics),
    shareOffsets: async () => {
      const coordinator = await link.coordinator(options.groupId);
      const [group] = await coordinator.send(describeShareGroupOffsets(options.groupId));
      if (group === undefined || group.errorCode !== 0)
        throw new Error(
          `DescribeShareGroupOffsets for ${options.groupId} failed: ${group?.errorMessage ?? group?.errorCode ?? 'no group'}`,
        );
      return group.partitions;
    },
    close: () => {
      closing ??= (async () => {
        try {
          await fetcher.close();
        } finally {
          await membership.leave().catch(() => undefined);
          await link.disconnect().catch(() => undefined);
        }
      })();
      return closing;
    },
  };
  return session;
}
