import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `pnpm deploy:service <package name> <target folder>`: writes a folder that runs with
 * `node dist/main.js` and nothing around it. Builds the package and its workspace dependencies
 * (the runtime's dist/), runs `pnpm deploy --legacy --prod` (pnpm 10's default deploy needs
 * inject-workspace-packages for the whole workspace and writes absolute file: paths), then rewrites
 * the folder's package.json so no `workspace:` or `catalog:` reference, devDependency or dev script
 * leaves the monorepo. The generated Dockerfile and the CI deploy test run exactly this.
 */
const root = dirname(dirname(fileURLToPath(import.meta.url)));
const [name, target] = process.argv.slice(2).filter((arg) => arg !== '--');
if (!name || !target) {
  process.stderr.write('Usage: pnpm deploy:service <package name> <target folder (must not exist)>\n');
  process.exit(2);
}
const dir = isAbsolute(target) ? target : resolve(process.cwd(), target);
if (existsSync(dir)) {
  process.stderr.write(`${dir} already exists; deploy into a new folder\n`);
  process.exit(2);
}

const pnpm = (args: string[]) =>
  execFileSync('pnpm', args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
pnpm(['--filter', `${name}...`, 'run', 'build']);
pnpm(['--filter', name, 'deploy', '--legacy', '--prod', dir]);

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  scripts?: Record<string, string>;
  files?: string[];
  [key: string]: unknown;
}
const manifestPath = join(dir, 'package.json');
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
const installedVersion = (dep: string): string =>
  (JSON.parse(readFileSync(join(dir, 'node_modules', dep, 'package.json'), 'utf8')) as { version: string })
    .version;
const dependencies = Object.fromEntries(
  Object.entries(manifest.dependencies ?? {}).map(([dep, spec]) => [
    dep,
    /^(workspace|catalog):/.test(spec) ? installedVersion(dep) : spec,
  ]),
);
const { devDependencies: _dev, files: _files, scripts, ...rest } = manifest;
const deployed: Manifest = {
  ...rest,
  scripts: scripts?.start ? { start: scripts.start } : {},
  dependencies,
};
const text = `${JSON.stringify(deployed, null, 2)}\n`;
if (/"(workspace|catalog):/.test(text))
  throw new Error(`${manifestPath} still names a workspace: or catalog: spec`);
writeFileSync(manifestPath, text);
if (!existsSync(join(dir, 'dist', 'main.js')))
  throw new Error(`${dir}/dist/main.js is missing: did the build run?`);
process.stdout.write(`Deployed ${name} to ${dir}: start it there with \`node dist/main.js\`\n`);
