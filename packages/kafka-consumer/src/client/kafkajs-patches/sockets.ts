import net from 'node:net';
import tls from 'node:tls';
import type { ISocketFactory } from 'kafkajs';

const KEEP_ALIVE_MS = 60_000;

/** The plain socket factory KafkaJS uses by default (TCP, or TLS with SNI for host names). */
export const defaultSocketFactory: ISocketFactory = ({ host, port, ssl, onConnect }) => {
  const socket = ssl
    ? tls.connect({ host, port, ...(net.isIP(host) ? {} : { servername: host }), ...ssl }, onConnect)
    : net.connect({ host, port }, onConnect);
  socket.setKeepAlive(true, KEEP_ALIVE_MS);
  return onceUnref(socket);
};

/**
 * KafkaJS's `disconnect()` calls `socket.unref()` on every connection of a broker each time a
 * reconnect to it fails; on a socket without a handle (refused, destroyed, still connecting), Node
 * defers that with one more 'connect' listener per call, and a broker that stays down (a failover, a
 * restart) piles up listeners until Node warns "MaxListenersExceededWarning". A destroyed socket
 * holds nothing to unref; a connecting one needs one deferred unref, not many.
 */
function onceUnref<S extends net.Socket>(socket: S): S {
  const unref = socket.unref.bind(socket);
  let deferred = false;
  socket.unref = () => {
    if (socket.destroyed) return socket;
    if (!socket.connecting) return unref();
    if (!deferred) {
      deferred = true;
      unref();
    }
    return socket;
  };
  return socket;
}
