/**
 * Holds KafkaJS's JoinGroup until the runtime finished its revoke work. KafkaJS has no awaited
 * "partitions revoked" callback and may notice a rebalance in several places (its own heartbeat
 * after a batch, an empty fetch, a commit); every one of them ends in `Broker.joinGroup`, so that
 * call is the one point where waiting covers them all.
 *
 * Patched on `Broker.prototype.joinGroup` (KafkaJS 2.2.4 looks it up per call), before the request
 * is queued: KafkaJS's request timeout for a JoinGroup (rebalance timeout + 5 s) starts only when
 * the request is sent, after the hold, so a held JoinGroup never outlives it. The hold itself is
 * bounded by the rebalance timeout. Only for this runtime's members; other KafkaJS consumers of the
 * process join as KafkaJS does.
 */
import { createRequire } from 'node:module';
import { missingMember, processShared } from './registry.js';

interface Gate {
  hold: () => Promise<void>;
  boundMs: number;
}

type JoinGroup = (this: unknown, args: { groupId: string; memberId?: string }) => Promise<unknown>;

const gates = processShared('join-gates', () => new Map<string, Gate>());

/**
 * The re-joins of member `memberId` (the id the coordinator gave it at its join) wait for `hold`
 * (at most `boundMs`) until the returned function is called. Keyed by member, not by group: two
 * members of one group in one process each wait for their own revoke. A first join (no member id
 * yet) has nothing to revoke and is never held.
 */
export function gateJoins(memberId: string, hold: () => Promise<void>, boundMs: number): () => void {
  const gate = { hold, boundMs };
  gates.set(memberId, gate);
  return () => {
    if (gates.get(memberId) === gate) gates.delete(memberId);
  };
}

/** Waits for the member's hold, bounded; never rejects. */
export async function heldJoin(memberId: string | undefined): Promise<void> {
  const gate = memberId ? gates.get(memberId) : undefined;
  if (gate === undefined) return;
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, gate.boundMs);
  });
  try {
    await Promise.race([gate.hold().catch(() => undefined), bound]);
  } finally {
    clearTimeout(timer);
  }
}

/** Installs the gate; returns why it could not, or undefined. */
export function installJoinGate(): string | undefined {
  let Broker: { prototype: { joinGroup: JoinGroup; __kafkakitGate?: true } };
  try {
    Broker = createRequire(import.meta.url)('kafkajs/src/broker/index.js');
  } catch (error) {
    return `kafkajs/src/broker/index.js cannot be loaded (${(error as Error).message})`;
  }
  const missing = missingMember(Broker.prototype, ['joinGroup'], 'Broker.prototype');
  if (missing !== undefined) return missing;
  if (Broker.prototype.__kafkakitGate) return undefined;
  const join = Broker.prototype.joinGroup;
  Broker.prototype.joinGroup = async function (this: unknown, args: { groupId: string; memberId?: string }) {
    await heldJoin(args.memberId);
    return join.call(this, args);
  };
  Broker.prototype.__kafkakitGate = true;
  return undefined;
}
