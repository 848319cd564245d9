/**
 * FindCoordinator (api key 10) v4, key type GROUP: which broker coordinates a share group. Not
 * KafkaJS's lookup, which turns a GROUP_AUTHORIZATION_FAILED into "Failed to find group
 * coordinator"; the share client needs that error as it is, to name the missing ACL.
 */
import {
  flexibleRequest,
  readCompactArray,
  readString,
  skipTags,
  writeCompactArray,
  writeTags,
} from './wire.js';

export const FIND_COORDINATOR = 10;

export interface CoordinatorAnswer {
  key: string;
  nodeId: number;
  host: string;
  port: number;
  errorCode: number;
  errorMessage: string | null;
}

export function findGroupCoordinator(groupId: string) {
  return flexibleRequest(
    FIND_COORDINATOR,
    4,
    'FindCoordinator',
    (e) => {
      e.writeInt8(0); // key type: group (share groups live in the group coordinator)
      writeCompactArray(e, [groupId], (w, key) => w.writeUVarIntString(key));
      writeTags(e);
    },
    (d): CoordinatorAnswer[] => {
      d.readInt32(); // throttle
      const answers = readCompactArray(d, (c) => {
        const key = readString(c);
        const nodeId = c.readInt32();
        const host = readString(c);
        const port = c.readInt32();
        const errorCode = c.readInt16();
        const errorMessage = c.readUVarIntString();
        skipTags(c);
        return { key, nodeId, host, port, errorCode, errorMessage };
      });
      skipTags(d);
      return answers;
    },
  );
}
