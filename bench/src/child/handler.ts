import { setTimeout as sleep } from 'node:timers/promises';
import type { HandlerKind } from '../types.js';

/** The user's work per message, identical for every contender: nothing, or an awaited timer (I/O-like). */
export type Work = () => Promise<void>;

export function workFor(kind: HandlerKind): Work {
  if (kind.kind === 'noop') return async () => undefined;
  const { ms } = kind;
  return async () => {
    await sleep(ms);
  };
}

/** Seeded throughput messages whose first byte is 'P' are poison for the DLQ workload (1 in 100). */
export const POISON = 0x50;
