import type { Logger } from '../../logger.js';
import { installCodecs } from './codecs.js';
import { installCoordinatorFailover } from './coordinator-failover.js';
import { installJoinGate } from './join-gate.js';
import { installedKafkaJsVersion, KAFKAJS_VERSION, type PatchStatus, recordPatch } from './registry.js';
import { installTolerantFetch } from './undecodable.js';

/** The patches on KafkaJS's private modules: each returns why it could not install, or undefined. */
const PRIVATE: ReadonlyArray<{ name: string; install: () => string | undefined }> = [
  { name: 'coordinator-failover', install: installCoordinatorFailover },
  { name: 'tolerant-fetch', install: installTolerantFetch },
  { name: 'join-gate', install: installJoinGate },
];

let done = false;

/** Installs `patches` when `version` is the one they were written for; the status of each. */
export function installPatches(
  version: string | undefined,
  patches: ReadonlyArray<{ name: string; install: () => string | undefined }>,
): PatchStatus[] {
  return patches.map(({ name, install }) => {
    let reason: string | undefined;
    if (version !== KAFKAJS_VERSION)
      reason = `written for KafkaJS ${KAFKAJS_VERSION}, found ${version ?? 'an unreadable version'}`;
    else {
      try {
        reason = install();
      } catch (error) {
        reason = `its install threw: ${(error as Error).message}`;
      }
    }
    return reason === undefined ? { name, installed: true } : { name, installed: false, reason };
  });
}

/**
 * The one install point of the KafkaJS patches, run when the runtime creates its first KafkaJS
 * client (never at import). The patches on private modules install only on the KafkaJS version they
 * were written for, and each checks the shape of every member it replaces; one that cannot install
 * is logged once at warn and listed in `health().warnings`, and KafkaJS keeps its own behaviour
 * there. The codecs fill only the slots KafkaJS left empty (a codec the application registered
 * stays); the socket factory is KafkaJS's public option.
 */
export function installKafkaJsPatches(logger: Logger): void {
  if (done) return;
  done = true;
  const version = installedKafkaJsVersion();
  const statuses = installPatches(version, PRIVATE);
  const filled = installCodecs();
  statuses.push({
    name: `codecs (${filled.join(', ') || 'none: the application registered its own'})`,
    installed: true,
  });
  for (const status of statuses) {
    recordPatch(status);
    if (!status.installed)
      logger.warn(
        { patch: status.name, reason: status.reason, kafkajs: version },
        'KafkaJS patch not installed; KafkaJS keeps its own behaviour there',
      );
  }
}
