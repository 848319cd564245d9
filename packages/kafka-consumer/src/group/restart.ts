import { bounded } from '../bounded.js';
import type { ClientHooks, ConsumerClient } from '../client/port.js';
import { ClientError, toError } from '../errors.js';
import type { TypedEmitter } from '../events.js';
import type { Logger } from '../logger.js';

export interface RestartContext {
  client: ConsumerClient;
  hooks: ClientHooks;
  events: TypedEmitter;
  logger: Logger;
  /** True once shutdown began: a restart then stops after leaving. */
  stopping: () => boolean;
  /** Stops starting handlers, waits for running ones and commits what finished, as on any rebalance. */
  beforeStop: () => Promise<void>;
  /** Bound of each step (leave, join). */
  stepTimeoutMs: number;
}

/**
 * Restarts the client through the port: stop (leave, close) then connect and start again with the
 * same hooks. The join that follows starts a new generation, so nothing finished before it is
 * committed afterwards (no double commit), and unfinished messages are fetched again from the
 * committed offset (nothing lost). One restart at a time; resolves true once joined again.
 */
export class ClientRestarter {
  #running: Promise<boolean> | undefined;

  constructor(private readonly context: RestartContext) {}

  get restarting(): boolean {
    return this.#running !== undefined;
  }

  restart(): Promise<boolean> {
    this.#running ??= this.#restart().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #restart(): Promise<boolean> {
    const { client, hooks, events, logger, stopping, beforeStop, stepTimeoutMs } = this.context;
    try {
      await bounded(beforeStop(), stepTimeoutMs, 'finishing work before a restart');
    } catch (error) {
      logger.warn({ err: error }, 'work before the restart did not finish; restarting anyway');
    }
    try {
      await bounded(client.stop(), stepTimeoutMs, 'stopping the client for a restart');
    } catch (error) {
      logger.error({ err: error }, 'stopping the client for a restart failed; starting it anyway');
      events.emit('error', { error: toError(error) });
    }
    if (stopping()) return false;
    try {
      await bounded(client.connect(), stepTimeoutMs, 'connecting the restarted client');
      if (stopping()) return false;
      await bounded(client.start(hooks), stepTimeoutMs, 'joining the group after a restart');
      logger.info({}, 'client restarted and joined the group');
      return true;
    } catch (cause) {
      const error = new ClientError(`Restarting the client failed: ${toError(cause).message}`, {
        cause,
        retriable: true,
      });
      logger.error({ err: error }, 'client restart failed');
      events.emit('error', { error });
      return false;
    }
  }
}
