/** Shared record shapes of the fault suite: what the ledger, the producer and the checker exchange. */

export type CommitStrategy = 'per-message' | 'per-batch' | 'interval';

export const STRATEGIES: readonly CommitStrategy[] = ['per-message', 'per-batch', 'interval'];

export type Ordering = 'partition' | 'key' | 'unordered';

/** A consumer group (offsets, strategies, orderings) or a share group (KIP-932: acknowledgements). */
export type GroupType = 'consumer' | 'share';

/** Every scenario runs under these unless it says otherwise ('unordered' where it matters). */
export const DEFAULT_ORDERINGS: readonly Ordering[] = ['partition', 'key'];

/** One handler invocation ('call' when it starts, 'done' just before it resolves, 'fail' when it throws). */
export interface HandlerEntry {
  ev: 'call' | 'done' | 'fail';
  /** The message key as text ('' for a null key). */
  k?: string;
  /** topic, partition, offset, message id (`partition:seq`), attempt, process id, epoch ms */
  t: string;
  p: number;
  o: string;
  id: string;
  a: number;
  pid: number;
  ts: number;
}

/** Consumer-side facts the child records next to its handler calls. */
export type EventEntry =
  | { ev: 'ready'; pid: number; ts: number }
  | { ev: 'assigned'; pid: number; ts: number; parts: Array<{ t: string; p: number }> }
  | { ev: 'commit'; pid: number; ts: number; offsets: Array<{ t: string; p: number; o: string }> }
  | { ev: 'dead-lettered'; pid: number; ts: number; t: string; p: number; o: string }
  | { ev: 'error'; pid: number; ts: number; name: string; code: string; msg: string }
  | { ev: 'signal'; pid: number; ts: number; sig: string }
  /** A share consumer's acknowledgement the broker refused (lock expired, session reset): delivered again. */
  | { ev: 'ack-refused'; pid: number; ts: number; o: string }
  /** The PostgreSQL inbox skipped a message it had handled already (scenario 16). */
  | { ev: 'skipped'; pid: number; ts: number; t: string; p: number; o: string };

export type LedgerEntry = HandlerEntry | EventEntry;

/** A message the producer sent and the broker acknowledged (acks=all). */
export interface AckedMessage {
  id: string;
  topic: string;
  partition: number;
  offset: string;
}

/** A record found on the dead-letter topic, by the id header it carried over from its source. */
export interface DeadLetterRecord {
  id: string;
  sourcePartition: number;
  sourceOffset: string;
}

/** One admin read of the group's committed offsets (partition -> next offset, '-1' = none). */
export interface CommitSample {
  ts: number;
  offsets: Record<number, string>;
}
