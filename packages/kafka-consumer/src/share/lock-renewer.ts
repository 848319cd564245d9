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
 * group; the drain (and a second signal) ends that. A broker without RENEW (4.1) is logged once and
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
      .filter((r) => (this.#expiry.get(r) ?? r.lockExpiresAt) - now <= lockMs / 2);
    if (due.length === 0) return;
    this.#renewing = true;
    try {
      const expiresAt = await this.#session.renew(due);
      for (const r of due) this.#expiry.set(r, expiresAt);
      this.renewed += due.length;
      this.#logger.debug({ records: due.length, expiresAt }, 'acquisition locks renewed');
    } catch (error) {
      if (this.#stopped) return;
      if (/needs Kafka 4\.2/.test((error as Error).message)) this.#unsupported = true;
      this.#logger.warn(
        { err: error, records: due.length, offsets: due.slice(0, 5).map((r) => r.offset) },
        this.#unsupported
          ? 'the broker cannot renew acquisition locks (Kafka 4.2+); a handler longer than share.record.lock.duration.ms loses its record to another member'
          : 'acquisition locks not renewed; a record whose lock runs out is delivered again',
      );
    } finally {
      this.#renewing = false;
    }
  }
}
