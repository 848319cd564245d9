import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addDependency, findEntry, wireEntry } from '../../src/add.js';
import { emptyWorkspace, REPO_ROOT, readTree, runPlop } from '../helpers/golden.js';

const FIXTURE = join(REPO_ROOT, 'fixtures/existing-service');
const workspace = emptyWorkspace(mkdtempSync(join(tmpdir(), 'kafkakit-add-')));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

const addArgs = (dir: string, ...extra: string[]) => [
  'kafka-consumer:add',
  '--',
  '--dir',
  dir,
  '--topics',
  'billing.invoices',
  '--env-prefix',
  'BILLING_KAFKA_',
  '--no-install',
  '--cwd',
  workspace,
  ...extra,
];

describe('kafka-consumer:add on an existing service', () => {
  it(
    'adds the dependency and the module, wires the entry point, and a second run changes nothing',
    { timeout: 90_000 },
    async () => {
      cpSync(FIXTURE, join(workspace, 'services/svc'), { recursive: true });
      const before = readTree(join(workspace, 'services/svc'));

      const dry = await runPlop(addArgs('services/svc', '--dry-run'));
      expect(dry.exitCode, dry.stderr).toBe(0);
      expect(dry.stdout).toContain('would change services/svc/package.json');
      expect(dry.stdout).toContain('would create services/svc/src/kafka/consumer.ts');
      expect(dry.stdout).toContain('would change services/svc/src/server.ts');
      expect(readTree(join(workspace, 'services/svc'))).toEqual(before);

      const first = await runPlop(addArgs('services/svc'));
      expect(first.exitCode, first.stderr).toBe(0);
      const after = readTree(join(workspace, 'services/svc'));
      const pkg = JSON.parse(after.get('package.json') ?? '{}') as {
        name: string;
        dependencies: Record<string, string>;
      };
      expect(pkg.dependencies['@kafkakit/kafka-consumer']).toBe('workspace:*');
      expect(pkg.name).toBe('@acme/billing-api');
      expect([...after.keys()]).toEqual(
        expect.arrayContaining(['src/kafka/config.ts', 'src/kafka/consumer.ts', 'src/kafka/handler.ts']),
      );
      const server = after.get('src/server.ts') ?? '';
      expect(server).toContain("import { startKafkaConsumer } from './kafka/consumer.js';");
      expect(server).toContain('const kafkaConsumer = startKafkaConsumer();');
      // No signal handler or process.exit of its own: the stop line is printed for the host's shutdown.
      expect(server).not.toMatch(/process\.(exit|on|once)\(/);
      expect(first.stdout).toContain('in your shutdown (before the process exits), add:');
      expect(first.stdout).toContain('await kafkaConsumer.stop();');
      expect(server.startsWith(before.get('src/server.ts')?.split('\n').slice(0, 2).join('\n') ?? '')).toBe(
        true,
      );
      expect(after.get('src/routes.ts')).toBe(before.get('src/routes.ts'));
      expect(after.get('src/kafka/config.ts')).toContain("GROUP_ID: 'billing-api',");
      expect(after.get('src/kafka/config.ts')).toContain("TOPICS: 'billing.invoices',");
      expect(after.get('src/kafka/config.ts')).toContain("export const ENV_PREFIX = 'BILLING_KAFKA_';");
      expect(after.has('test/kafka-consumer.test.ts')).toBe(true);

      const second = await runPlop(addArgs('services/svc'));
      expect(second.exitCode, second.stderr).toBe(0);
      expect(second.stdout).toMatch(/0 file\(s\) written/);
      expect(readTree(join(workspace, 'services/svc'))).toEqual(after);
    },
  );

  it('never overwrites the handler the user wrote', { timeout: 60_000 }, async () => {
    cpSync(FIXTURE, join(workspace, 'services/edited'), { recursive: true });
    expect((await runPlop(addArgs('services/edited'))).exitCode).toBe(0);
    const handler = join(workspace, 'services/edited/src/kafka/handler.ts');
    writeFileSync(handler, '// my own handler\n');
    const run = await runPlop(addArgs('services/edited'));
    expect(run.exitCode, run.stderr).toBe(0);
    expect(readFileSync(handler, 'utf8')).toBe('// my own handler\n');
    expect(run.stdout).toContain('unchanged services/edited/src/kafka/handler.ts (exists; left as is)');
  });

  it('a re-run with other answers shows what differs and writes nothing', { timeout: 60_000 }, async () => {
    cpSync(FIXTURE, join(workspace, 'services/rerun'), { recursive: true });
    expect((await runPlop(addArgs('services/rerun'))).exitCode).toBe(0);
    const before = readTree(join(workspace, 'services/rerun'));
    const run = await runPlop(addArgs('services/rerun', '--commit', 'interval'));
    expect(run.exitCode).not.toBe(0);
    expect(run.stderr).toMatch(/added before with other answers/);
    expect(run.stderr).toContain(
      '--- a/services/rerun/src/kafka/config.ts\n+++ b/services/rerun/src/kafka/config.ts',
    );
    expect(run.stderr).toContain("\n-  COMMIT_STRATEGY: 'per-batch',\n");
    expect(run.stderr).toContain("\n+  COMMIT_STRATEGY: 'interval',\n+  COMMIT_INTERVAL_MS: '5000',\n");
    expect(run.stderr).toMatch(/Nothing was written/);
    expect(readTree(join(workspace, 'services/rerun'))).toEqual(before);
  });

  it("wires the stop into the host's own async SIGTERM handler", { timeout: 60_000 }, async () => {
    cpSync(FIXTURE, join(workspace, 'services/hosted'), { recursive: true });
    const entry = join(workspace, 'services/hosted/src/server.ts');
    writeFileSync(
      entry,
      `${readFileSync(entry, 'utf8')}\nprocess.once('SIGTERM', async () => {\n  server.close();\n});\n`,
    );
    const run = await runPlop(addArgs('services/hosted'));
    expect(run.exitCode, run.stderr).toBe(0);
    const server = readFileSync(entry, 'utf8');
    expect(server).toContain(
      "process.once('SIGTERM', async () => {\n  await kafkaConsumer.stop(); // drains in-flight messages, commits, leaves the group\n  server.close();",
    );
    expect(server.match(/process\.once\(/g)).toHaveLength(1);
    expect(run.stdout).not.toContain('in your shutdown');
  });

  it('prints the exact lines when the entry point cannot be wired safely', { timeout: 60_000 }, async () => {
    cpSync(FIXTURE, join(workspace, 'services/cjs'), { recursive: true });
    const pkgPath = join(workspace, 'services/cjs/package.json');
    const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as Record<string, unknown>;
    delete pkg.type;
    writeFileSync(pkgPath, `${JSON.stringify(pkg, null, 2)}\n`);
    const serverBefore = readFileSync(join(workspace, 'services/cjs/src/server.ts'), 'utf8');
    const run = await runPlop(addArgs('services/cjs'));
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Not wired automatically: the package is not an ES module/);
    expect(run.stdout).toContain("import { startKafkaConsumer } from './kafka/consumer.js';");
    expect(readFileSync(join(workspace, 'services/cjs/src/server.ts'), 'utf8')).toBe(serverBefore);
  });

  it('refuses a folder that is not a service', { timeout: 60_000 }, async () => {
    const run = await runPlop(addArgs('nope'));
    expect(run.exitCode).not.toBe(0);
    expect(run.stderr).toMatch(/nope does not exist/);
  });
});

describe('add helpers', () => {
  it('addDependency keeps formatting and is idempotent', () => {
    const source = '{\n    "name": "x",\n    "dependencies": { "zod": "^4" }\n}\n';
    const once = addDependency(source);
    expect(once).toContain('    "@kafkakit/kafka-consumer": "workspace:*"');
    expect(once.endsWith('}\n')).toBe(true);
    expect(addDependency(once)).toBe(once);
  });

  it('wireEntry imports after the last import and leaves wired files alone', () => {
    const source = "#!/usr/bin/env node\nimport a from 'a';\nimport {\n  b,\n} from 'b';\n\nmain();\n";
    const wired = wireEntry(source, 'src/index.ts', true);
    expect(wired.kind).toBe('edit');
    const text = wired.kind === 'edit' ? wired.after : '';
    expect(text.split('\n').slice(0, 6)).toEqual([
      '#!/usr/bin/env node',
      "import a from 'a';",
      'import {',
      '  b,',
      "} from 'b';",
      "import { startKafkaConsumer } from './kafka/consumer.js';",
    ]);
    expect(wireEntry(text, 'src/index.ts', true).kind).toBe('unchanged');
    expect(wireEntry('const x = ;', 'src/index.ts', true).kind).toBe('manual');
    expect(wireEntry(source, 'index.ts', true)).toMatchObject({ kind: 'edit' });
  });

  it('finds the entry from the start script', () => {
    expect(findEntry(FIXTURE, { scripts: { start: 'node --import tsx src/server.ts' } })).toBe(
      'src/server.ts',
    );
    expect(findEntry(FIXTURE, { main: 'dist/server.js' })).toBe('src/server.ts');
  });
});
