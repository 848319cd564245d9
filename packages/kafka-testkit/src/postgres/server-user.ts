import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { TestkitError } from '../errors.js';

export interface ServerUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

/**
 * The user the local server runs as. PostgreSQL refuses to run as root, so under root (CI, containers)
 * it runs as KAFKAKIT_POSTGRES_USER, by default `nobody`, an account every Linux has; otherwise as
 * the caller (undefined: no uid switch).
 */
export function serverUser(env: NodeJS.ProcessEnv = process.env): ServerUser | undefined {
  if (userInfo().uid !== 0) return undefined;
  const name = env.KAFKAKIT_POSTGRES_USER ?? 'nobody';
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined || Number(uid) === 0) {
    throw new TestkitError(
      'POSTGRES_USER_MISSING',
      `Running as root, the local PostgreSQL needs an unprivileged user: "${name}" is not in /etc/passwd (set KAFKAKIT_POSTGRES_USER to one)`,
    );
  }
  return { name, uid: Number(uid), gid: Number(gid) };
}
