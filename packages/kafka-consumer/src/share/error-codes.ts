/** The Kafka protocol error codes the share-group client acts on (from Kafka's `Errors`). */
export const KafkaCode = {
  NONE: 0,
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  NOT_LEADER_OR_FOLLOWER: 6,
  REQUEST_TIMED_OUT: 7,
  COORDINATOR_LOAD_IN_PROGRESS: 14,
  COORDINATOR_NOT_AVAILABLE: 15,
  NOT_COORDINATOR: 16,
  INCONSISTENT_GROUP_PROTOCOL: 23,
  INVALID_GROUP_ID: 24,
  UNKNOWN_MEMBER_ID: 25,
  TOPIC_AUTHORIZATION_FAILED: 29,
  GROUP_AUTHORIZATION_FAILED: 30,
  UNSUPPORTED_VERSION: 35,
  INVALID_REQUEST: 42,
  GROUP_ID_NOT_FOUND: 69,
  GROUP_MAX_SIZE_REACHED: 81,
  UNKNOWN_TOPIC_ID: 100,
  FENCED_MEMBER_EPOCH: 110,
  INVALID_RECORD_STATE: 121,
  SHARE_SESSION_NOT_FOUND: 122,
  INVALID_SHARE_SESSION_EPOCH: 123,
  FENCED_STATE_EPOCH: 124,
  SHARE_SESSION_LIMIT_REACHED: 133,
} as const;

const NAMES = new Map<number, string>(Object.entries(KafkaCode).map(([name, code]) => [code, name]));

/** `NAME (code)` for logs and messages; unknown codes print as their number. */
export const codeName = (code: number): string => `${NAMES.get(code) ?? 'error'} (${code})`;

/** A non-zero error code a response carried, with the broker's message when it sent one. */
export class KafkaProtocolError extends Error {
  override readonly name = 'KafkaProtocolError';
  readonly errorCode: number;

  constructor(api: string, errorCode: number, brokerMessage: string | null) {
    super(`${api} answered ${codeName(errorCode)}${brokerMessage ? `: ${brokerMessage}` : ''}`);
    this.errorCode = errorCode;
  }
}
