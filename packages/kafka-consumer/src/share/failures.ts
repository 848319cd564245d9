/**
 * What a failed share-group call means for the user: one error per cause, each naming the fix.
 * Retriable failures (a coordinator moving or loading, a connection dropping) are marked so and
 * retried by the caller; the rest end the membership.
 */
import { ShareGroupError, toError } from '../errors.js';
import { KafkaCode, KafkaProtocolError } from './error-codes.js';

interface Subject {
  groupId: string;
  topics: readonly string[];
  /** e.g. `User:alice` (SASL); unknown for mTLS and plaintext. */
  principal?: string | undefined;
}

const TRANSIENT_NAMES = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSBrokerNotFound',
  'KafkaJSNoBrokerAvailableError',
]);

/** A KafkaJS protocol error's code, when it is one (e.g. from FindCoordinator). */
function kafkaJsType(error: unknown): string | undefined {
  for (let e = error as { type?: unknown; cause?: unknown } | undefined, i = 0; e && i < 4; i++) {
    if (typeof e.type === 'string') return e.type;
    e = e.cause as typeof e;
  }
  return undefined;
}

export function unsupported(subject: Subject, cause: unknown): ShareGroupError {
  return new ShareGroupError(
    'SHARE_GROUPS_UNAVAILABLE',
    `The cluster does not serve share groups (group "${subject.groupId}"): its brokers are older ` +
      'than Apache Kafka 4.1 or share groups are disabled. Upgrade to Kafka 4.2+ and enable them with ' +
      '`kafka-features.sh --bootstrap-server <broker> upgrade --feature share.version=1` ' +
      '(new 4.2+ clusters have it on), or use a consumer group (groupType "consumer").',
    { cause },
  );
}

export function groupTypeConflict(subject: Subject, cause: unknown): ShareGroupError {
  return new ShareGroupError(
    'GROUP_TYPE_CONFLICT',
    `Group id "${subject.groupId}" already belongs to a consumer group (classic or KIP-848), so it ` +
      'cannot be a share group: give the share consumer its own groupId, or delete the old group ' +
      `once no member is left (\`kafka-consumer-groups.sh --delete --group ${subject.groupId}\`).`,
    { cause },
  );
}

export function denied(subject: Subject, what: 'group' | 'topic', cause: unknown): ShareGroupError {
  const fix =
    what === 'group'
      ? `READ on group "${subject.groupId}"`
      : `READ on topic${subject.topics.length > 1 ? 's' : ''} ${subject.topics.map((t) => `"${t}"`).join(', ')}`;
  return new ShareGroupError(
    'AUTHORIZATION_FAILED',
    `Not authorized to consume as share group "${subject.groupId}": the ${what} ACL denies this ` +
      `principal. Grant it ${fix} (kafka-acls.sh --add --allow-principal ${subject.principal ?? 'User:<name>'} --operation Read ` +
      `--${what} ${what === 'group' ? subject.groupId : subject.topics.join(',')}).`,
    { cause },
  );
}

/** Classifies an error of a share-group call (`stage` names the call in the message). */
export function shareFailure(stage: string, subject: Subject, error: unknown): ShareGroupError {
  if (error instanceof ShareGroupError) return error;
  if (error instanceof KafkaProtocolError) {
    switch (error.errorCode) {
      case KafkaCode.UNSUPPORTED_VERSION:
        return unsupported(subject, error);
      case KafkaCode.GROUP_ID_NOT_FOUND:
      case KafkaCode.INCONSISTENT_GROUP_PROTOCOL:
        return groupTypeConflict(subject, error);
      case KafkaCode.GROUP_AUTHORIZATION_FAILED:
        return denied(subject, 'group', error);
      case KafkaCode.TOPIC_AUTHORIZATION_FAILED:
        return denied(subject, 'topic', error);
      default:
        return new ShareGroupError(
          'SHARE_GROUP_FAILED',
          `Share group "${subject.groupId}": ${stage} failed: ${error.message}`,
          {
            cause: error,
          },
        );
    }
  }
  const type = kafkaJsType(error);
  if (type === 'GROUP_AUTHORIZATION_FAILED') return denied(subject, 'group', error);
  if (type === 'TOPIC_AUTHORIZATION_FAILED') return denied(subject, 'topic', error);
  const e = toError(error);
  const transient =
    TRANSIENT_NAMES.has(e.name) ||
    type === 'COORDINATOR_NOT_AVAILABLE' ||
    type === 'GROUP_COORDINATOR_NOT_AVAILABLE' ||
    type === 'COORDINATOR_LOAD_IN_PROGRESS' ||
    type === 'NOT_COORDINATOR';
  return new ShareGroupError(
    'SHARE_GROUP_FAILED',
    `Share group "${subject.groupId}": ${stage} failed: ${e.message}`,
    {
      cause: error,
      retriable: transient,
    },
  );
}
