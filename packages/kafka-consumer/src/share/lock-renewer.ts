/**
 * Keeps this member's acquisition locks while it still holds the records (KIP-1222, Kafka 4.2+):
 * a record handed out and not yet acknowledged — a handler still running, a retry in place waiting
 * for its backoff, or a record waiting in the buffer — whose lock has half its duration or less
 * left is renewed (RENEW, ShareAcknowledge v2). Without it a handler longer than the group's
 * `share.record.lock.duration.ms` loses its record to another member (deliveryCount + 1) and its
 * late ACCEPT is refused. One timer per consumer, off the per-message path; records leave the
 * watch when they are acknowledged (the session's `held()`).
 *
 * A handler that never finishes keeps its record locked, as it keeps its partition in a consumer
 * group; the drain (and a second signal) ends that. A lock that ran out before its renewal (the
 * event loop blocked longer than half the lock) is refused: logged once at warn, never asked again;
 * the broker gives the record to another member and this member's ACCEPT is refused. A broker without RENEW (4.1) is logged once and
 * the locks then run out as without this.
 */
import type { Logger } from '../logger.js';
import type { ShareRecord } from './records.js';
import type { ShareSession } from './session.js';

/** How often the held records are looked at: a quarter of the lock, within [100 ms, 1 s]. */
const tickOf = (lockMs: number) => Math.min(1000, Math.max(100, Math.floor(lockMs / 4)));

export class LockRenewer {
  readonly #session: ShareSession;
  readonly #logger: Logger;
  /** Expiry after the last renewal, per record (a record's own `lockExpiresAt` is its first). */
  readonly #expiry = new WeakMap<ShareRecord, number>();
  /** Records the broker refused to renew (their lock had run out): never asked again. */
  readonly #refused = new WeakSet<ShareRecord>();
  #timer: NodeJS.Timeout | undefined;
  #renewing = false;
  #unsupported = false;
  #stopped = false;
  /** Records renewed so far (health, tests). */
  renewed = 0;

  constructor(session: ShareSession, logger: Logger) {
    this.#session = session;
    this.#logger = logger;
  }

  start(): void {
    this.#schedule();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  #schedule(): void {
    if (this.#stopped || this.#unsupported) return;
    this.#timer = setTimeout(() => {
      this.#tick().finally(() => this.#schedule());
    }, tickOf(this.#session.lockDurationMs));
    this.#timer.unref();
  }

  async #tick(): Promise<void> {
    if (this.#renewing) return;
    const lockMs = this.#session.lockDurationMs;
    const now = Date.now();
    const due = this.#session
      .held()
      .filter((r) => !this.#refused.has(r) && (this.#expiry.get(r) ?? r.lockExpiresAt) - now <= lockMs / 2);
    if (due.length === 0) return;
    this.#renewing = true;
    try {
      await this.#renew(due);
    } catch (error) {
      if (this.#stopped) return;
      if (/needs Kafka 4\.2/.test((error as Error).message)) {
        this.#unsupported = true;
        this.#logger.warn(
          { err: error, records: due.length },
          'the broker cannot renew acquisition locks (Kafka 4.2+); a handler longer than share.record.lock.duration.ms loses its record to another member',
        );
        return;
      }
      // One refusal fails the whole request: ask record by record, and give up on those refused.
      for (const r of due) {
        await this.#renew([r]).catch((refusal: unknown) => {
          this.#refused.add(r);
          this.#logger.warn(
            { err: refusal, topic: r.topic, partition: r.partition, offset: r.offset },
            'acquisition lock not renewed (it had run out): the record goes to another member, and the acknowledgement of this member will be refused',
          );
        });
      }
    } finally {
      this.#renewing = false;
    }
  }

  async #renew(records: ShareRecord[]): Promise<void> {
    const expiresAt = await this.#session.renew(records);
    for (const r of records) this.#expiry.set(r, expiresAt);
    this.renewed += records.length;
    this.#logger.debug({ records: records.length, expiresAt }, 'acquisition locks renewed');
  }
}
