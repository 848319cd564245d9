import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A throw-away copy of the workspace: tests that write files, install or pack work here, never in the checkout. */
export interface WorkspaceCopy {
  /** The copy's root folder (in the OS temp dir). */
  readonly root: string;
  /** Removes the copy. */
  remove(): void;
}

export interface CopyWorkspaceOptions {
  /** Run `pnpm install --offline --frozen-lockfile` in the copy (a few seconds: the store is reused). @default true */
  install?: boolean;
  /** Prefix of the temp folder's name. @default 'kafkakit-ws-' */
  prefix?: string;
}

/**
 * Copies the files git knows about (tracked, plus untracked ones that are not ignored, so uncommitted
 * work is tested too) from `root` into a fresh temp folder: no node_modules, dist/ or .env.
 */
export function copyWorkspace(root: string, options: CopyWorkspaceOptions = {}): WorkspaceCopy {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })
    .split('\0')
    .filter((file) => file !== '');
  const copy = mkdtempSync(join(tmpdir(), options.prefix ?? 'kafkakit-ws-'));
  for (const file of files) {
    const from = join(root, file);
    if (!existsSync(from) || !statSync(from).isFile()) continue;
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    cpSync(from, join(copy, file), { preserveTimestamps: true });
  }
  if (options.install ?? true) {
    execFileSync('pnpm', ['install', '--offline', '--frozen-lockfile'], {
      cwd: copy,
      stdio: 'pipe',
      env: { ...process.env, CI: 'true' },
    });
  }
  return { root: copy, remove: () => rmSync(copy, { recursive: true, force: true }) };
}
