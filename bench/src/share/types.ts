/** What the orchestrator of `pnpm bench:share` hands each member process (BENCH_SHARE_SPEC). */
export interface MemberSpec {
  kind: 'share' | 'partition' | 'key';
  brokers: string[];
  topic: string;
  groupId: string;
  concurrency: number;
  handlerMs: number;
}

/** A member's IPC report; `cpuMs` is its user + system CPU since its first finished message. */
export interface MemberReport {
  type: 'progress' | 'final';
  count: number;
  firstAt: number;
  lastAt: number;
  cpuMs: number;
}

export interface Contender {
  id: string;
  title: string;
  kind: MemberSpec['kind'];
  members: number;
  concurrency: number;
}

export interface ShareRound {
  contender: string;
  round: number;
  messages: number;
  seconds: number;
  msgPerSec: number;
  /** CPU of every member over the window, per finished message (µs). */
  cpuUsPerMsg: number;
  /** Finished messages per member (share: how the group spread them). */
  perMember: number[];
}
