import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

/** Shared by the golden tests and scripts/update-goldens.ts. */

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const GOLDEN_DIR = join(REPO_ROOT, 'fixtures/generator');
/** Node flags that run the plop entry as `pnpm plop` does: tsx, and the runtime from its sources. */
export const PLOP_NODE_ARGS = ['--conditions=@kafkakit/source', '--import', 'tsx'];

export function listCases(): string[] {
  return readdirSync(GOLDEN_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(GOLDEN_DIR, entry.name, 'answers.json')))
    .map((entry) => entry.name)
    .sort();
}

/** answers.json ({ "flag": value }) -> command-line flags. */
export function caseFlags(caseName: string): string[] {
  const answers = JSON.parse(readFileSync(join(GOLDEN_DIR, caseName, 'answers.json'), 'utf8')) as Record<
    string,
    string | boolean
  >;
  return Object.entries(answers).flatMap(([flag, value]) =>
    typeof value === 'boolean' ? [value ? `--${flag}` : `--no-${flag}`] : [`--${flag}`, value],
  );
}

export interface PlopRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs `pnpm plop`'s script exactly as the root script does (tsx), without a TTY. */
export async function runPlop(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  root = REPO_ROOT,
): Promise<PlopRun> {
  const result = await execa(process.execPath, [...PLOP_NODE_ARGS, join(root, 'scripts/plop.ts'), ...args], {
    cwd: root,
    reject: false,
    stdin: 'ignore',
    env: { CI: 'true', ...env },
  });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** A minimal workspace root at `dest` (the package globs the generator checks --dir against). */
export function emptyWorkspace(dest: string): string {
  mkdirSync(dest, { recursive: true });
  writeFileSync(join(dest, 'pnpm-workspace.yaml'), 'packages:\n  - packages/*\n  - services/*\n');
  return dest;
}

/** Renders one case with the real command into `dest` (as the workspace root); returns the service folder. */
export async function renderCase(caseName: string, dest: string): Promise<string> {
  emptyWorkspace(dest);
  const flags = caseFlags(caseName);
  const name = flags[flags.indexOf('--name') + 1] ?? caseName;
  const run = await runPlop(['kafka-consumer', '--', ...flags, '--no-install', '--cwd', dest]);
  if (run.exitCode !== 0) throw new Error(`plop failed for ${caseName}:\n${run.stdout}\n${run.stderr}`);
  return join(dest, 'services', name);
}

/** Every file under `dir` (relative path -> content). */
export function readTree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.set(relative(dir, full).split(sep).join('/'), readFileSync(full, 'utf8'));
    }
  };
  if (existsSync(dir)) walk(dir);
  return new Map([...files.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

export const READ_ME_UPDATE =
  'if the change is intended, run `pnpm --filter @kafkakit/generator-kafka-consumer golden:update` and review the diff';
