/** ShareGroupHeartbeat (api key 76) v1, the stable version of KIP-932 (Kafka 4.1+). */
import {
  type Decoder,
  flexibleRequest,
  readCompactArray,
  readUuid,
  skipTags,
  writeCompactArray,
  writeTags,
} from './wire.js';

export const SHARE_GROUP_HEARTBEAT = 76;

export interface HeartbeatRequest {
  groupId: string;
  memberId: string;
  /** 0 to join, -1 to leave, else the epoch the last response gave. */
  memberEpoch: number;
  rackId: string | null;
  /** The subscription when it changed (always on join), else null. */
  subscribedTopicNames: readonly string[] | null;
}

export interface AssignedTopic {
  topicId: Buffer;
  partitions: number[];
}

export interface HeartbeatResponse {
  throttleTimeMs: number;
  errorCode: number;
  errorMessage: string | null;
  memberId: string | null;
  memberEpoch: number;
  heartbeatIntervalMs: number;
  /** The whole assignment when it changed, null when it did not. */
  assignment: AssignedTopic[] | null;
}

const readAssignedTopic = (d: Decoder): AssignedTopic => {
  const topicId = readUuid(d);
  const partitions = readCompactArray(d, (p) => p.readInt32());
  skipTags(d);
  return { topicId, partitions };
};

export function shareGroupHeartbeat(request: HeartbeatRequest, version = 1) {
  return flexibleRequest(
    SHARE_GROUP_HEARTBEAT,
    version,
    'ShareGroupHeartbeat',
    (e) => {
      e.writeUVarIntString(request.groupId);
      e.writeUVarIntString(request.memberId);
      e.writeInt32(request.memberEpoch);
      e.writeUVarIntString(request.rackId);
      writeCompactArray(e, request.subscribedTopicNames, (w, name) => w.writeUVarIntString(name));
      writeTags(e);
    },
    (d): HeartbeatResponse => {
      const throttleTimeMs = d.readInt32();
      const errorCode = d.readInt16();
      const errorMessage = d.readUVarIntString();
      const memberId = d.readUVarIntString();
      const memberEpoch = d.readInt32();
      const heartbeatIntervalMs = d.readInt32();
      // Nullable struct: a signed int8 marker, -1 for null.
      let assignment: AssignedTopic[] | null = null;
      if (d.readInt8() !== -1) {
        assignment = readCompactArray(d, readAssignedTopic);
        skipTags(d);
      }
      skipTags(d);
      return {
        throttleTimeMs,
        errorCode,
        errorMessage,
        memberId,
        memberEpoch,
        heartbeatIntervalMs,
        assignment,
      };
    },
  );
}
