import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';

/** Fails when the target folder already holds files: a new service never overwrites anything. */
export function assertFreshTarget(root: string, dir: string): void {
  const target = resolve(root, dir);
  if (existsSync(target) && readdirSync(target).length > 0) {
    throw new Error(
      `${dir} already exists and is not empty; choose another --name or --dir (nothing was written)`,
    );
  }
}
