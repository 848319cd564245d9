import type { Socket } from 'node:net';
import type { ISocketFactory } from 'kafkajs';

/** Kafka protocol API key of JoinGroup. */
const JOIN_GROUP = 11;

/**
 * Holds KafkaJS's JoinGroup requests until the runtime finished its revoke work. KafkaJS has no
 * awaited "partitions revoked" callback and may notice a rebalance in several places (its own
 * heartbeat after a batch, an empty fetch, a commit); every one of them ends in a JoinGroup request
 * on the coordinator's socket, so that write is the one point where waiting covers them all.
 * Other requests (the revoke-time OffsetCommit included) pass straight through.
 */
export class JoinGate {
  /** Runs before each JoinGroup is written; set by the consumer client when it starts. */
  #hold: (() => Promise<void>) | undefined;

  constructor(private readonly boundMs: () => number) {}

  set(hold: (() => Promise<void>) | undefined): void {
    this.#hold = hold;
  }

  /** Wraps a socket factory so JoinGroup writes wait for the hold. */
  wrap(base: ISocketFactory): ISocketFactory {
    return (args) => {
      const socket = base(args) as Socket;
      const write = socket.write.bind(socket) as (chunk: unknown, ...rest: unknown[]) => boolean;
      (socket as { write: typeof write }).write = (chunk: unknown, ...rest: unknown[]) => {
        const hold = this.#hold;
        if (hold === undefined || !isJoinGroup(chunk)) return write(chunk, ...rest);
        const bound = new Promise<void>((resolve) => setTimeout(resolve, this.boundMs()).unref());
        void Promise.race([hold().catch(() => undefined), bound]).then(() => {
          if (!socket.destroyed) write(chunk, ...rest);
        });
        return true;
      };
      return socket;
    };
  }
}

/** A Kafka request frame: int32 size, int16 api key, ... */
function isJoinGroup(chunk: unknown): boolean {
  return Buffer.isBuffer(chunk) && chunk.length >= 8 && chunk.readInt16BE(4) === JOIN_GROUP;
}
