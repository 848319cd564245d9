/** ShareGroupDescribe (api key 77) v1: the group's state and members, for health and tests. */
import {
  type Decoder,
  flexibleRequest,
  readCompactArray,
  readString,
  readUuid,
  skipTags,
  writeCompactArray,
  writeTags,
} from './wire.js';

export const SHARE_GROUP_DESCRIBE = 77;

export interface DescribedMember {
  memberId: string;
  memberEpoch: number;
  clientId: string;
  clientHost: string;
  subscribedTopicNames: string[];
  assignment: Array<{ topicId: Buffer; topicName: string; partitions: number[] }>;
}

export interface DescribedShareGroup {
  errorCode: number;
  errorMessage: string | null;
  groupId: string;
  groupState: string;
  groupEpoch: number;
  assignmentEpoch: number;
  assignorName: string;
  members: DescribedMember[];
}

const readAssignment = (d: Decoder) => {
  const topics = readCompactArray(d, (t) => {
    const topicId = readUuid(t);
    const topicName = readString(t);
    const partitions = readCompactArray(t, (p) => p.readInt32());
    skipTags(t);
    return { topicId, topicName, partitions };
  });
  skipTags(d);
  return topics;
};

const readMember = (d: Decoder): DescribedMember => {
  const memberId = readString(d);
  d.readUVarIntString(); // rack
  const memberEpoch = d.readInt32();
  const clientId = readString(d);
  const clientHost = readString(d);
  const subscribedTopicNames = readCompactArray(d, readString);
  const assignment = readAssignment(d);
  skipTags(d);
  return { memberId, memberEpoch, clientId, clientHost, subscribedTopicNames, assignment };
};

const readGroup = (d: Decoder): DescribedShareGroup => {
  const errorCode = d.readInt16();
  const errorMessage = d.readUVarIntString();
  const groupId = readString(d);
  const groupState = readString(d);
  const groupEpoch = d.readInt32();
  const assignmentEpoch = d.readInt32();
  const assignorName = readString(d);
  const members = readCompactArray(d, readMember);
  d.readInt32(); // authorized operations
  skipTags(d);
  return { errorCode, errorMessage, groupId, groupState, groupEpoch, assignmentEpoch, assignorName, members };
};

export function shareGroupDescribe(groupIds: readonly string[], version = 1) {
  return flexibleRequest(
    SHARE_GROUP_DESCRIBE,
    version,
    'ShareGroupDescribe',
    (e) => {
      writeCompactArray(e, groupIds, (w, id) => w.writeUVarIntString(id));
      e.writeBoolean(false); // include authorized operations
      writeTags(e);
    },
    (d) => {
      d.readInt32(); // throttle
      const groups = readCompactArray(d, readGroup);
      skipTags(d);
      return groups;
    },
  );
}
