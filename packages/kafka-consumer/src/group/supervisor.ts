import type { ClientHooks, ConsumerClient } from '../client/port.js';
import { ClientError } from '../errors.js';
import type { TypedEmitter } from '../events.js';
import type { Logger } from '../logger.js';
import { RejoinWatchdog } from './rejoin-watchdog.js';
import { ClientRestarter } from './restart.js';

export interface SupervisorContext {
  client: ConsumerClient;
  events: TypedEmitter;
  logger: Logger;
  /** rebalanceTimeoutMs + a margin: how long a re-join may take. */
  timeoutMs: number;
  stopping: () => boolean;
  /** Stops starting handlers and tries to commit what finished, as on any rebalance. */
  beforeRestart: () => void;
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
    if (this.context.client.isRebalanceError(error)) this.#watchdog.rebalanceStarted();
  }

  assigned(): void {
    this.#watchdog.assigned();
    this.stuck = undefined;
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
