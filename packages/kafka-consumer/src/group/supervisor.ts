import type { ClientHooks, ConsumerClient } from '../client/port.js';
import { ClientError, RebalanceError } from '../errors.js';
import type { TypedEmitter } from '../events.js';
import type { Logger } from '../logger.js';
import { sleepWithTicks } from '../processing/retry.js';
import { RejoinWatchdog } from './rejoin-watchdog.js';
import { ClientRestarter } from './restart.js';

const noTick = () => Promise.resolve();

/** Restarts after crashes KafkaJS does not restart from, before the consumer gives up (exit CRASH). */
export const MAX_CRASH_RESTARTS = 5;

export interface SupervisorContext {
  client: ConsumerClient;
  events: TypedEmitter;
  logger: Logger;
  /** rebalanceTimeoutMs + a margin: how long a re-join may take. */
  timeoutMs: number;
  stopping: () => boolean;
  /** Aborted when shutdown starts: ends the wait before a crash restart. */
  stoppingSignal: AbortSignal;
  /** Stops starting handlers, waits for running ones and commits what finished, as on any rebalance. */
  beforeRestart: () => Promise<void>;
}

/**
 * Watches group re-joins: when a rebalance began (client notice, a rebalance error from a batch or
 * a commit, a crash KafkaJS restarts from) and no assignment arrived within `timeoutMs`, reports it
 * (`stuck`, an `error` event) and restarts the client; a failed restart is tried again after
 * another `timeoutMs`. Idle once shutdown began.
 */
export class RejoinSupervisor {
  /** Why health() is unhealthy, until the next assignment. */
  stuck: string | undefined;
  readonly #watchdog: RejoinWatchdog;
  #restarter: ClientRestarter | undefined;
  #crashRestarts = 0;

  constructor(private readonly context: SupervisorContext) {
    this.#watchdog = new RejoinWatchdog(context.timeoutMs, (waitedMs) => this.#onStuck(waitedMs));
  }

  /** The hooks a restart starts the client with. */
  attach(hooks: ClientHooks): void {
    const { client, events, logger, stopping, beforeRestart, timeoutMs } = this.context;
    this.#restarter = new ClientRestarter({
      client,
      hooks,
      events,
      logger,
      stopping,
      beforeStop: beforeRestart,
      stepTimeoutMs: timeoutMs,
    });
  }

  rebalanceStarted(): void {
    this.#watchdog.rebalanceStarted();
  }

  /** Arms the watchdog when `error` says the group is rebalancing / this member was fenced. */
  notice(error: unknown): void {
    if (error instanceof RebalanceError) this.#watchdog.rebalanceStarted();
  }

  assigned(): void {
    this.#watchdog.assigned();
    this.stuck = undefined;
    this.#crashRestarts = 0;
  }

  /**
   * KafkaJS gave up on its consumer (a crash it does not restart from, e.g. "Failed to find group
   * coordinator" during a broker outage): restart it ourselves after a backoff of 1, 2, 4, 8, 16 s,
   * up to MAX_CRASH_RESTARTS times without an assignment in between. Resolves 'joined' once a
   * restart joined, 'failed' when this attempt failed (call again), 'exhausted' when out of attempts
   * or shutting down.
   */
  async recoverFromCrash(error: Error): Promise<'joined' | 'failed' | 'exhausted'> {
    const { stopping, logger } = this.context;
    const restarter = this.#restarter;
    if (stopping() || restarter === undefined || this.#crashRestarts >= MAX_CRASH_RESTARTS)
      return 'exhausted';
    this.#crashRestarts++;
    const delayMs = 1000 * 2 ** (this.#crashRestarts - 1);
    this.stuck = `client crashed (${error.message}); restart ${this.#crashRestarts} of ${MAX_CRASH_RESTARTS} in ${delayMs} ms`;
    logger.warn({ err: error, attempt: this.#crashRestarts, delayMs }, 'client crashed; restarting it');
    // A referenced timer: during a broker outage nothing else may keep the process alive (KafkaJS
    // closed its sockets), and the consumer means to go on. Shutdown ends the wait at once.
    const waited = await sleepWithTicks(delayMs, delayMs, noTick, this.context.stoppingSignal);
    if (!waited || stopping()) return 'exhausted';
    return (await restarter.restart()) ? 'joined' : 'failed';
  }

  /**
   * The client delivered a batch or a commit succeeded while no rebalance is under way: it is a
   * member of a live generation, so an error that armed the watchdog (e.g. a commit failing
   * because the coordinator moved) did not start a re-join.
   */
  progress(): void {
    if (this.stuck === undefined) this.#watchdog.assigned();
  }

  stop(): void {
    this.#watchdog.stop();
  }

  #onStuck(waitedMs: number): void {
    const { events, logger, stopping, timeoutMs } = this.context;
    if (stopping() || this.#restarter === undefined) return;
    const error = new ClientError(
      `No partition assignment ${waitedMs} ms after the group began rebalancing (limit: rebalanceTimeoutMs + sessionTimeoutMs = ${timeoutMs} ms); restarting the client`,
      { retriable: true },
    );
    this.stuck = error.message;
    logger.error({ err: error }, 'group re-join stuck; restarting the client');
    events.emit('error', { error });
    void this.#restarter.restart().then((joined) => {
      if (!joined && !stopping()) this.#watchdog.rebalanceStarted();
    });
  }
}
