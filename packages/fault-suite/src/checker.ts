import { callsAfterRevoke, isHandler, keyViolations, orderViolations, tp } from './order-checks.js';
import type {
  AckedMessage,
  CommitSample,
  DeadLetterRecord,
  HandlerEntry,
  LedgerEntry,
  Ordering,
} from './types.js';

/** What the checker found in one scenario run. Pure data; the scenario decides which numbers must be 0. */
export interface Metrics {
  acked: number;
  /** Distinct acknowledged ids whose handler resolved at least once. */
  completed: number;
  /** Distinct acknowledged ids found on the dead-letter topic. */
  deadLettered: number;
  /** Acknowledged, but neither completed nor dead-lettered. */
  lost: string[];
  /** Extra completions: sum over ids of (completions - 1). */
  duplicates: number;
  /** Duplicates of a message whose offset a logged commit had already covered when it was redelivered. */
  duplicatesOutsideWindow: number;
  /** 'partition' ordering: within one process and one assignment, a partition's completions did not move strictly forward. */
  orderViolations: number;
  /** 'key' ordering: a call started while another message of the same key was running in that process. */
  keyOverlaps: number;
  /** 'key' ordering: within one process and one assignment, a key's completions did not move strictly forward. */
  keyOrderViolations: number;
  /** Messages called but unfinished in one process and completed by a later one (in flight at a crash or revoke). */
  redeliveredInFlight: number;
  /** Handler calls on a partition the process was not (or no longer) assigned. */
  callsAfterRevoke: number;
  /**
   * Committed offsets that went backwards: commits the consumers logged as acknowledged, and admin
   * reads of a value no consumer committed before (a regression the logs could not show).
   */
  commitRegressions: number;
  /**
   * Admin reads below an earlier read that return an older commit the consumers did make: the group
   * coordinator serving history, e.g. a just-elected one before its high watermark caught up. Reported,
   * not failed: a consumer restarting then would redo that window (duplicates), nothing is lost.
   */
  staleReads: number;
  /**
   * Share groups: duplicates whose earlier completion was in a member that then died (SIGKILL, a
   * crash): its acknowledgement never reached the broker, which delivered the record again.
   */
  duplicatesMemberDied: number;
  /** Share groups: duplicates whose earlier completion's acknowledgement the broker refused (its lock had expired). */
  duplicatesLockExpired: number;
  /** Share groups: every other duplicate (a completed, accepted record delivered again): must be 0. */
  duplicatesUnexplained: number;
}

/** What only a share-group run knows: which members died. */
export interface ShareFacts {
  diedPids: ReadonlySet<number>;
}

/** Completions per id, in ledger order. */
export function completionsById(ledger: readonly LedgerEntry[]): Map<string, HandlerEntry[]> {
  const out = new Map<string, HandlerEntry[]>();
  for (const e of ledger) {
    if (e.ev !== 'done') continue;
    const list = out.get(e.id);
    if (list === undefined) out.set(e.id, [e]);
    else list.push(e);
  }
  return out;
}

/** Handler calls per id (every attempt), in ledger order. */
export function callsById(ledger: readonly LedgerEntry[]): Map<string, HandlerEntry[]> {
  const out = new Map<string, HandlerEntry[]>();
  for (const e of ledger) {
    if (e.ev !== 'call') continue;
    const list = out.get(e.id);
    if (list === undefined) out.set(e.id, [e]);
    else list.push(e);
  }
  return out;
}

export function lostIds(
  acked: readonly AckedMessage[],
  ledger: readonly LedgerEntry[],
  dlq: readonly DeadLetterRecord[],
): string[] {
  const handled = new Set<string>(dlq.map((r) => r.id));
  for (const e of ledger) if (e.ev === 'done') handled.add(e.id);
  return acked.filter((m) => !handled.has(m.id)).map((m) => m.id);
}

/**
 * A redelivery is inside the window when no commit covering the message (offset > its offset) was
 * logged, by any process, before the call that redelivered it. Ledger order is append order.
 */
export function duplicateCounts(ledger: readonly LedgerEntry[]): { total: number; outsideWindow: number } {
  const committed = new Map<string, bigint>();
  const completed = new Map<string, number>();
  const coveredAtCall = new Map<string, boolean>();
  let total = 0;
  let outsideWindow = 0;
  for (const e of ledger) {
    if (e.ev === 'commit') {
      for (const o of e.offsets) {
        const key = tp(o.t, o.p);
        const next = BigInt(o.o);
        if (next > (committed.get(key) ?? -1n)) committed.set(key, next);
      }
    } else if (e.ev === 'call') {
      const covered = (committed.get(tp(e.t, e.p)) ?? -1n) > BigInt(e.o);
      coveredAtCall.set(`${e.pid}|${e.id}`, covered);
    } else if (e.ev === 'done') {
      const before = completed.get(e.id) ?? 0;
      completed.set(e.id, before + 1);
      if (before > 0) {
        total++;
        if (coveredAtCall.get(`${e.pid}|${e.id}`) === true) outsideWindow++;
      }
    }
  }
  return { total, outsideWindow };
}

/**
 * Share groups: each duplicate completion is explained by its previous completion (pid P, offset o):
 * P died afterwards (its ACCEPT died with it), or P logged the broker's refusal of that ACCEPT (the
 * lock had run out). Anything else is a completed, acknowledged record the broker delivered again.
 */
export function shareDuplicates(
  ledger: readonly LedgerEntry[],
  facts: ShareFacts,
): { died: number; lock: number; unexplained: number } {
  const refused = new Set<string>();
  for (const e of ledger) if (e.ev === 'ack-refused') refused.add(`${e.pid}|${e.o}`);
  const last = new Map<string, HandlerEntry>();
  let died = 0;
  let lock = 0;
  let unexplained = 0;
  for (const e of ledger) {
    if (e.ev !== 'done') continue;
    const previous = last.get(e.id);
    last.set(e.id, e);
    if (previous === undefined) continue;
    if (facts.diedPids.has(previous.pid)) died++;
    else if (refused.has(`${previous.pid}|${previous.o}`)) lock++;
    else unexplained++;
  }
  return { died, lock, unexplained };
}

/** Ids called in some process without finishing there, later completed by another process. */
export function redeliveredInFlight(ledger: readonly LedgerEntry[]): number {
  const open = new Map<string, Set<number>>();
  const counted = new Set<string>();
  for (const e of ledger) {
    if (!isHandler(e)) continue;
    const pids = open.get(e.id) ?? new Set<number>();
    if (e.ev === 'call') {
      pids.add(e.pid);
      open.set(e.id, pids);
    } else if (e.ev === 'done') {
      pids.delete(e.pid);
      if (pids.size > 0 && !counted.has(e.id)) counted.add(e.id);
      pids.clear();
    } else pids.delete(e.pid);
  }
  return counted.size;
}

/**
 * Backward moves of committed offsets. A logged (acknowledged) commit below an earlier one is a
 * regression. An admin read below an earlier read is a stale read when it returns a value some
 * consumer committed before the read (history served again), otherwise a regression.
 */
export function commitRegressions(
  samples: readonly CommitSample[],
  ledger: readonly LedgerEntry[],
): { regressions: number; staleReads: number } {
  let regressions = 0;
  let staleReads = 0;
  const seen = new Map<string, bigint>();
  const higher = (key: string, value: bigint): boolean => {
    const previous = seen.get(key);
    if (previous === undefined || value > previous) seen.set(key, value);
    return previous !== undefined && value < previous;
  };
  // Acknowledged commits by partition number (the sampler reads one topic): when each value was committed.
  const committedAt = new Map<string, number>();
  for (const e of ledger) {
    if (e.ev !== 'commit') continue;
    for (const o of e.offsets) {
      if (higher(`logged|${tp(o.t, o.p)}`, BigInt(o.o))) regressions++;
      const key = `${o.p}|${o.o}`;
      committedAt.set(key, Math.min(committedAt.get(key) ?? e.ts, e.ts));
    }
  }
  for (const s of [...samples].sort((a, b) => a.ts - b.ts)) {
    for (const [p, o] of Object.entries(s.offsets)) {
      const value = BigInt(o);
      if (value < 0n || !higher(`sample|${p}`, value)) continue;
      const at = committedAt.get(`${p}|${o}`);
      if (at !== undefined && at <= s.ts) staleReads++;
      else regressions++;
    }
  }
  return { regressions, staleReads };
}

export function check(input: {
  acked: readonly AckedMessage[];
  ledger: readonly LedgerEntry[];
  dlq?: readonly DeadLetterRecord[];
  samples?: readonly CommitSample[];
  /** Which order the run promised. @default 'partition' */
  ordering?: Ordering;
  /** Set for a share-group run: duplicates are classified, assignments are not exclusive. */
  share?: ShareFacts;
}): Metrics {
  const ordering = input.ordering ?? 'partition';
  const keys = ordering === 'key' ? keyViolations(input.ledger) : { overlaps: 0, order: 0 };
  const dlq = input.dlq ?? [];
  const ackedIds = new Set(input.acked.map((m) => m.id));
  const completed = new Set<string>();
  for (const e of input.ledger) if (e.ev === 'done' && ackedIds.has(e.id)) completed.add(e.id);
  const dups = duplicateCounts(input.ledger);
  const regressions = commitRegressions(input.samples ?? [], input.ledger);
  const shared =
    input.share === undefined
      ? { died: 0, lock: 0, unexplained: 0 }
      : shareDuplicates(input.ledger, input.share);
  return {
    acked: input.acked.length,
    completed: completed.size,
    deadLettered: new Set(dlq.filter((r) => ackedIds.has(r.id)).map((r) => r.id)).size,
    lost: lostIds(input.acked, input.ledger, dlq),
    duplicates: dups.total,
    duplicatesOutsideWindow: dups.outsideWindow,
    orderViolations: ordering === 'partition' ? orderViolations(input.ledger) : 0,
    keyOverlaps: keys.overlaps,
    keyOrderViolations: keys.order,
    redeliveredInFlight: redeliveredInFlight(input.ledger),
    callsAfterRevoke: callsAfterRevoke(input.ledger, input.share !== undefined),
    commitRegressions: regressions.regressions,
    staleReads: regressions.staleReads,
    duplicatesMemberDied: shared.died,
    duplicatesLockExpired: shared.lock,
    duplicatesUnexplained: shared.unexplained,
  };
}
