import type { HandlerEntry, LedgerEntry } from './types.js';

/**
 * The checker's order checks: partition order, per-key order (no overlap, never back), handler
 * calls on revoked partitions, committed-offset regressions. Pure functions of the ledger.
 */

export const tp = (t: string, p: number) => `${t}\u0000${p}`;
export const isHandler = (e: LedgerEntry): e is HandlerEntry =>
  e.ev === 'call' || e.ev === 'done' || e.ev === 'fail';

/** Completions of one partition, within one process and one assignment, must move strictly forward. */
export function orderViolations(ledger: readonly LedgerEntry[]): number {
  const epoch = new Map<number, number>();
  const last = new Map<string, bigint>();
  let violations = 0;
  for (const e of ledger) {
    if (e.ev === 'assigned') epoch.set(e.pid, (epoch.get(e.pid) ?? 0) + 1);
    if (e.ev !== 'done') continue;
    const key = `${e.pid}|${epoch.get(e.pid) ?? 0}|${tp(e.t, e.p)}`;
    const offset = BigInt(e.o);
    const previous = last.get(key);
    if (previous !== undefined && offset <= previous) violations++;
    last.set(key, offset);
  }
  return violations;
}

/**
 * A call is legitimate while the calling process's latest assignment holds the partition and no
 * other process was assigned that partition after it (ledger order is the real order of events).
 * `shared` (a share group): partitions have many members, and records acquired stay this member's
 * to finish after its assignment changed: a call needs the partition in one of its assignments.
 */
export function callsAfterRevoke(ledger: readonly LedgerEntry[], shared = false): number {
  const holding = new Map<number, Set<string>>();
  const owner = new Map<string, number>();
  let violations = 0;
  for (const e of ledger) {
    if (e.ev === 'assigned') {
      const parts = new Set(e.parts.map((x) => tp(x.t, x.p)));
      // A share member may finish records it acquired before its assignment shrank (their locks
      // hold): there, a call needs the partition in any assignment the process had.
      if (shared) for (const key of holding.get(e.pid) ?? []) parts.add(key);
      holding.set(e.pid, parts);
      for (const key of parts) owner.set(key, e.pid);
    } else if (isHandler(e) && e.ev === 'call') {
      const key = tp(e.t, e.p);
      // A share group assigns a partition to many members at once: only the caller's own assignment counts.
      if (holding.get(e.pid)?.has(key) !== true || (!shared && owner.get(key) !== e.pid)) violations++;
    }
  }
  return violations;
}

/**
 * 'key' ordering, per process: two calls of one key (same partition) never overlap, and within one
 * assignment a key's completions move strictly forward (redeliveries after a restart or a
 * rebalance start a new process or assignment).
 */
export function keyViolations(ledger: readonly LedgerEntry[]): { overlaps: number; order: number } {
  const running = new Map<string, string>();
  const epoch = new Map<number, number>();
  const last = new Map<string, bigint>();
  let overlaps = 0;
  let order = 0;
  for (const e of ledger) {
    if (e.ev === 'assigned') {
      epoch.set(e.pid, (epoch.get(e.pid) ?? 0) + 1);
      for (const k of [...running.keys()]) if (k.startsWith(`${e.pid}|`)) running.delete(k);
      continue;
    }
    if (!isHandler(e) || e.k === undefined) continue;
    const lane = `${e.pid}|${tp(e.t, e.p)}|${e.k}`;
    if (e.ev === 'call') {
      const other = running.get(lane);
      if (other !== undefined && other !== e.id) overlaps++;
      running.set(lane, e.id);
    } else {
      if (running.get(lane) === e.id) running.delete(lane);
      if (e.ev !== 'done') continue;
      const key = `${e.pid}|${epoch.get(e.pid) ?? 0}|${tp(e.t, e.p)}|${e.k}`;
      const offset = BigInt(e.o);
      const previous = last.get(key);
      if (previous !== undefined && offset <= previous) order++;
      last.set(key, offset);
    }
  }
  return { overlaps, order };
}
