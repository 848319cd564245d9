/**
 * One member of a share group: joins with epoch 0, heartbeats at the interval the coordinator
 * sets, takes the assignment it hands out, re-joins when fenced, leaves with epoch -1. Share groups
 * have no rebalance barrier: an assignment change is only news for the fetcher (records already
 * acquired stay this member's to acknowledge), so there is nothing to revoke or wait for.
 */
import { KafkaCode, KafkaProtocolError } from './error-codes.js';
import { shareFailure } from './failures.js';
import {
  type AssignedTopic,
  type HeartbeatResponse,
  SHARE_GROUP_HEARTBEAT,
  shareGroupHeartbeat,
} from './heartbeat-api.js';
import type { BrokerHandle, KafkaJsLink } from './kafkajs-link.js';

export interface MembershipOptions {
  link: KafkaJsLink;
  groupId: string;
  memberId: string;
  topics: readonly string[];
  rackId?: string | null;
  /** For error messages (which principal lacks an ACL). */
  principal?: string | undefined;
  /** The assignment changed (the whole new one; [] when fenced or left). */
  onAssignment(assignment: readonly AssignedTopic[]): void;
  /** The membership cannot go on (authorization, group type, broker support): it stopped. */
  onFatal(error: Error): void;
  /** Wait between attempts when the coordinator is away or loading. @default 500 */
  retryBackoffMs?: number;
}

const MOVED = new Set<number>([KafkaCode.NOT_COORDINATOR, KafkaCode.COORDINATOR_NOT_AVAILABLE]);
const RETRY = new Set<number>([KafkaCode.COORDINATOR_LOAD_IN_PROGRESS, KafkaCode.REQUEST_TIMED_OUT]);
const FENCED = new Set<number>([KafkaCode.UNKNOWN_MEMBER_ID, KafkaCode.FENCED_MEMBER_EPOCH]);

export class ShareMembership {
  readonly #o: MembershipOptions;
  #coordinator: BrokerHandle | undefined;
  #epoch = 0;
  #intervalMs = 5000;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  /** The heartbeat on the wire, so leave() goes after it (never two at once). */
  #inFlight: Promise<void> = Promise.resolve();

  constructor(options: MembershipOptions) {
    this.#o = options;
  }

  get memberEpoch(): number {
    return this.#epoch;
  }

  /** Joins the group; resolves on the first accepted heartbeat, rejects with the reason it cannot. */
  async join(deadlineMs: number): Promise<void> {
    const deadline = Date.now() + deadlineMs;
    for (;;) {
      const outcome = await this.#beat();
      if (outcome === 'ok') break;
      if (outcome instanceof Error) throw outcome;
      if (Date.now() > deadline)
        throw shareFailure('join', this.#o, new Error('no coordinator answered in time'));
      await new Promise((resolve) => setTimeout(resolve, this.#o.retryBackoffMs ?? 500));
    }
    this.#schedule(this.#intervalMs);
  }

  /** Leaves the group (epoch -1): the coordinator reassigns at once. */
  async leave(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#inFlight.catch(() => undefined);
    if (this.#epoch <= 0 || this.#coordinator === undefined) return;
    await this.#coordinator.send(shareGroupHeartbeat(this.#request(-1)));
    this.#epoch = -1;
  }

  #request(memberEpoch: number) {
    return {
      groupId: this.#o.groupId,
      memberId: this.#o.memberId,
      memberEpoch,
      rackId: this.#o.rackId ?? null,
      // The subscription goes with every join; afterwards null means "unchanged".
      subscribedTopicNames: memberEpoch === 0 ? this.#o.topics : null,
    };
  }

  #schedule(ms: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      const beat = this.#beat().then((outcome) => {
        if (outcome instanceof Error) {
          this.#stopped = true;
          this.#o.onFatal(outcome);
          return;
        }
        this.#schedule(outcome === 'ok' ? this.#intervalMs : (this.#o.retryBackoffMs ?? 500));
      });
      this.#inFlight = beat;
    }, ms);
    this.#timer.unref();
  }

  /** One heartbeat: 'ok', 'retry' (coordinator away/loading, or re-joining), or the fatal error. */
  async #beat(): Promise<'ok' | 'retry' | Error> {
    let response: HeartbeatResponse;
    try {
      this.#coordinator ??= await this.#o.link.coordinator(this.#o.groupId);
      if (this.#coordinator.maxVersion(SHARE_GROUP_HEARTBEAT) === undefined) {
        return shareFailure(
          'join',
          this.#o,
          new KafkaProtocolError('ApiVersions', KafkaCode.UNSUPPORTED_VERSION, 'no ShareGroupHeartbeat'),
        );
      }
      response = await this.#coordinator.send(shareGroupHeartbeat(this.#request(this.#epoch)));
    } catch (error) {
      this.#coordinator = undefined;
      if (error instanceof KafkaProtocolError && (MOVED.has(error.errorCode) || RETRY.has(error.errorCode)))
        return 'retry';
      const fatal = shareFailure('heartbeat', this.#o, error);
      return fatal.retriable ? 'retry' : fatal;
    }
    const { errorCode } = response;
    if (errorCode === KafkaCode.NONE) {
      this.#epoch = response.memberEpoch;
      this.#intervalMs = response.heartbeatIntervalMs;
      if (response.assignment !== null) this.#o.onAssignment(response.assignment);
      return 'ok';
    }
    if (MOVED.has(errorCode)) this.#coordinator = undefined;
    if (MOVED.has(errorCode) || RETRY.has(errorCode)) return 'retry';
    // GROUP_ID_NOT_FOUND at join: the id belongs to another group type. Later: the group was deleted.
    const gone =
      errorCode === KafkaCode.GROUP_ID_NOT_FOUND &&
      this.#epoch > 0 &&
      !/not a share group/i.test(response.errorMessage ?? '');
    if (FENCED.has(errorCode) || gone) {
      this.#epoch = 0;
      this.#o.onAssignment([]);
      return 'retry';
    }
    return shareFailure(
      'heartbeat',
      this.#o,
      new KafkaProtocolError('ShareGroupHeartbeat', errorCode, response.errorMessage),
    );
  }
}
