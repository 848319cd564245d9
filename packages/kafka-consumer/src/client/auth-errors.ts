/**
 * Authentication, authorization and TLS failures told apart from KafkaJS errors, with one message
 * that says what is wrong and what to change. KafkaJS reports some of them only in its own logs
 * (a group ACL denial becomes "Failed to find group coordinator": the FindCoordinator error is
 * swallowed by its broker pool), so `SecuritySignals` reads the failed-response log lines of this
 * client's KafkaJS instance. Messages name users, groups, topics and brokers, never a password.
 */
import { KafkaConsumerError, toError } from '../errors.js';

export type SecurityFailure = 'authentication' | 'authorization' | 'tls';

const CODES = {
  authentication: 'AUTHENTICATION_FAILED',
  authorization: 'AUTHORIZATION_FAILED',
  tls: 'TLS_FAILED',
} as const;

/** The client cannot authenticate, is not allowed, or the TLS handshake failed. Retrying cannot help. */
export class ClientSecurityError extends KafkaConsumerError {
  readonly failure: SecurityFailure;

  constructor(failure: SecurityFailure, message: string, options: { cause?: unknown } = {}) {
    super(CODES[failure], message, { cause: options.cause, retriable: false });
    this.name = 'ClientSecurityError';
    this.failure = failure;
  }
}

export interface SecurityContext {
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly ssl: boolean;
  readonly sasl: { mechanism: string; username?: unknown } | undefined;
}

/** Failed-response errors seen in this client's KafkaJS logs (the only place some of them surface). */
export class SecuritySignals {
  groupDenied = false;
  topicDenied = false;

  readonly #lastWarned = new Map<string, number>();

  /**
   * True when KafkaJS warned the same text less than 10 s ago: its retries repeat each failure
   * (connection errors twice per attempt, with a stack), the first line says it all; the rest go to debug.
   */
  repeated(message: string, now = Date.now()): boolean {
    const key = message.replace(/\d+/g, '#');
    const last = this.#lastWarned.get(key);
    if (last !== undefined && now - last < 10_000) return true;
    if (this.#lastWarned.size > 500) this.#lastWarned.clear();
    this.#lastWarned.set(key, now);
    return false;
  }

  /** Called with every KafkaJS log entry's `error` field. */
  note(error: unknown): void {
    if (typeof error !== 'string') return;
    if (/not authorized to access group/i.test(error)) this.groupDenied = true;
    if (/not authorized to access topics/i.test(error)) this.topicDenied = true;
  }
}

const TLS_UNTRUSTED =
  /self[- ]signed certificate|unable to verify the first certificate|unable to get (local )?issuer certificate|certificate signature failure|certificate has expired|certificate is not yet valid/i;
const TLS_OTHER =
  /Hostname\/IP does not match certificate|wrong version number|handshake failure|certificate required|alert (bad|unknown) certificate|tlsv1 alert/i;

const principalOf = (ctx: SecurityContext): string =>
  ctx.sasl !== undefined && typeof ctx.sasl.username === 'string'
    ? `User:${ctx.sasl.username}`
    : ctx.ssl
      ? 'the principal of the client certificate'
      : 'User:ANONYMOUS';

const acl = (ctx: SecurityContext, op: string, resource: string) =>
  `kafka-acls.sh --bootstrap-server … --add --allow-principal ${
    principalOf(ctx).startsWith('User:') ? principalOf(ctx) : 'User:<certificate CN>'
  } --operation ${op} ${resource}`;

/** Walks `cause` chains: KafkaJS wraps the protocol error in retry errors. */
function chain(error: unknown): Error[] {
  const out: Error[] = [];
  let current: unknown = error;
  while (current instanceof Error && out.length < 8) {
    out.push(current);
    current =
      (current as { cause?: unknown; originalError?: unknown }).cause ??
      (current as { originalError?: unknown }).originalError;
  }
  return out;
}

/**
 * A ClientSecurityError for `error` when it is an authentication, authorization or TLS failure;
 * undefined for anything else (the caller keeps its own handling).
 */
export function classifySecurityError(
  error: unknown,
  ctx: SecurityContext,
  signals?: SecuritySignals,
  /** 'connect': a closed connection on the first request means a TLS/SASL mismatch; later it is a broker going away. */
  phase: 'connect' | 'run' = 'run',
): ClientSecurityError | undefined {
  if (error instanceof ClientSecurityError) return error;
  const errors = chain(error);
  const text = errors.map((e) => e.message).join(' | ');
  const types = new Set(errors.map((e) => (e as { type?: unknown }).type));
  const names = new Set(errors.map((e) => e.name));
  const broker = errors.map((e) => (e as { broker?: unknown }).broker).find((b) => typeof b === 'string');
  const at = broker === undefined ? '' : ` at ${broker}`;
  const cause = toError(error);

  if (names.has('KafkaJSSASLAuthenticationError') || types.has('SASL_AUTHENTICATION_FAILED')) {
    const user = typeof ctx.sasl?.username === 'string' ? `user "${ctx.sasl.username}"` : 'the client';
    const mechanism = ctx.sasl?.mechanism.toUpperCase() ?? 'SASL';
    return new ClientSecurityError(
      'authentication',
      `SASL authentication failed for ${user} (${mechanism})${at}: the broker rejected the credentials — a wrong password or an unknown user (the broker does not say which). Check KAFKA_SASL_USERNAME / KAFKA_SASL_PASSWORD and KAFKA_SASL_MECHANISM`,
      { cause },
    );
  }
  if (TLS_UNTRUSTED.test(text)) {
    const reason = TLS_UNTRUSTED.exec(text)?.[0];
    return new ClientSecurityError(
      'tls',
      `TLS handshake${at} failed: the broker's certificate is not trusted (${reason}). Set ssl.ca (KAFKA_SSL_CA_FILE) to the CA that signed the broker's certificate`,
      { cause },
    );
  }
  if (TLS_OTHER.test(text)) {
    return new ClientSecurityError(
      'tls',
      `TLS handshake${at} failed (${TLS_OTHER.exec(text)?.[0]}): check the broker address matches its certificate and, for mutual TLS, ssl.cert/ssl.key`,
      { cause },
    );
  }
  if (phase === 'connect' && (names.has('KafkaJSConnectionClosedError') || /Closed connection/.test(text))) {
    // A TLS listener closes on the plaintext bytes of a Kafka request (and so may a SASL listener).
    return new ClientSecurityError(
      'tls',
      ctx.ssl
        ? `The broker${at} closed the connection during the handshake: does its listener need a client certificate (ssl.cert/ssl.key) or SASL (KAFKA_SASL_MECHANISM)?`
        : `The broker${at} closed the connection on the first request: this listener probably expects TLS — set ssl: true (KAFKA_SSL=true, KAFKA_SSL_CA_FILE) or use its plaintext port`,
      { cause },
    );
  }
  if (types.has('TOPIC_AUTHORIZATION_FAILED')) {
    const topics = ctx.topics.join(', ');
    return new ClientSecurityError(
      'authorization',
      `Not authorized to read topic ${topics} as ${principalOf(ctx)}: the principal needs READ and DESCRIBE on TOPIC ${topics} (${acl(ctx, 'Read --operation Describe', `--topic ${ctx.topics[0]}`)})`,
      { cause },
    );
  }
  if (
    types.has('GROUP_AUTHORIZATION_FAILED') ||
    (names.has('KafkaJSGroupCoordinatorNotFound') && signals?.groupDenied === true)
  ) {
    return new ClientSecurityError(
      'authorization',
      `Not authorized to use consumer group "${ctx.groupId}" as ${principalOf(ctx)}: the principal needs READ on GROUP ${ctx.groupId} (${acl(ctx, 'Read', `--group ${ctx.groupId}`)})`,
      { cause },
    );
  }
  return undefined;
}
