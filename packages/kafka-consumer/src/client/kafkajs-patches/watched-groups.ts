import { processShared } from './registry.js';

/**
 * The consumer groups of this runtime's consumers, refcounted. The KafkaJS patches (coordinator and
 * leader failover) act on these groups only: any other KafkaJS consumer of the process keeps
 * KafkaJS's own behaviour.
 */
const groups = processShared('watched-groups', () => new Map<string, number>());

export const watched = (groupId: string): boolean => groups.has(groupId);

/** Watches `groupId` until the returned function is called (once). */
export function watchGroup(groupId: string): () => void {
  groups.set(groupId, (groups.get(groupId) ?? 0) + 1);
  let watching = true;
  return () => {
    if (!watching) return;
    watching = false;
    const count = (groups.get(groupId) ?? 1) - 1;
    if (count === 0) groups.delete(groupId);
    else groups.set(groupId, count);
  };
}
