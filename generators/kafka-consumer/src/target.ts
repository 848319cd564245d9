import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { OptionsError } from './schema.js';
import { matchesWorkspace, readWorkspace } from './workspace.js';

/** Fails when the target folder already holds files: a new service never overwrites anything. */
export function assertFreshTarget(root: string, dir: string): void {
  const target = resolve(root, dir);
  if (existsSync(target) && readdirSync(target).length > 0) {
    throw new Error(
      `${dir} already exists and is not empty; choose another --name or --dir (nothing was written)`,
    );
  }
}

/** The folder must be a package folder of the workspace (pnpm-workspace.yaml's globs), or nothing resolves there. */
export function assertInWorkspace(root: string, dir: string): void {
  const { packages } = readWorkspace(root);
  if (!matchesWorkspace(packages, dir)) {
    const globs = packages.filter((glob) => !glob.startsWith('!'));
    throw new OptionsError(
      'dir',
      `${JSON.stringify(dir)} is not a package folder of the workspace (pnpm-workspace.yaml packages: ${globs.join(', ') || 'none'}), e.g. services/<name>`,
    );
  }
}
