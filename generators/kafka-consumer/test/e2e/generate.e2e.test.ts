import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  copyWorkspace,
  createTopic,
  deleteTopics,
  produceMessages,
  readCommittedOffsets,
  uniqueName,
  type WorkspaceCopy,
  waitFor,
} from '@kafkakit/kafka-testkit';
import type {} from '@kafkakit/kafka-testkit/vitest-setup';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PLOP_NODE_ARGS, REPO_ROOT, runPlop } from '../helpers/golden.js';
import { ENTER, Terminal } from '../helpers/terminal.js';
import { describeSecuredCluster } from './secured-cluster.js';

/**
 * The whole promise, for real, in a temporary copy of this workspace (the checkout is never
 * written to): `pnpm plop kafka-consumer` writes a service, installs, builds, typechecks it and runs
 * its own tests against this run's broker (KAFKAKIT_TEST_BROKERS, so the service's test kit reuses
 * it); `pnpm deploy:service` writes a folder outside the workspace that runs with `node dist/main.js`.
 */
const brokers = inject('kafkaBrokers');
const postgresUrl = inject('postgresUrl');
const serviceName = 'e2e-orders';
let workspace: WorkspaceCopy;
const temp: string[] = [];
const children: ChildProcess[] = [];
/** The folder `pnpm deploy:service` wrote (the deploy test), reused by the secured-cluster tests. */
let deployedApp: string | undefined;

beforeAll(() => {
  workspace = copyWorkspace(REPO_ROOT, { prefix: 'kafkakit-e2e-' });
}, 180_000);

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  workspace?.remove();
  for (const dir of temp) rmSync(dir, { recursive: true, force: true });
});

/** A handler that holds each message until SIGTERM arrives: "started <offset>", then "finished <offset>". */
const HOLDING_HANDLER = `import { once } from 'node:events';
import type { Handler } from '@kafkakit/kafka-consumer';

export const handler: Handler<unknown> = async ({ message }) => {
  const signalled = once(process, 'SIGTERM');
  process.stdout.write(\`started \${message.offset}\\n\`);
  await signalled;
  process.stdout.write(\`finished \${message.offset}\\n\`);
};
`;

describe('pnpm plop kafka-consumer, end to end', () => {
  it('generates, installs, builds, typechecks and passes its own real-broker tests', async () => {
    const started = Date.now();
    const run = await runPlop(
      ['kafka-consumer', '--', '--name', serviceName, '--topics', 'e2e.orders.placed', '--yes'],
      { KAFKAKIT_TEST_BROKERS: brokers.join(','), PATH: process.env.PATH },
      workspace.root,
    );
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stdout.write(`[e2e] command to green tests: ${seconds}s (broker already warm)\n`);
    expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(/20 file\(s\) written/);
    expect(run.stdout).toMatch(/Tests: 10 passed \(10\)/);
    for (const step of [/pnpm install/, /build/, /typecheck/, /tests \(real broker\)/]) {
      expect(run.stderr).toMatch(step);
    }
    const service = join(workspace.root, 'services', serviceName);
    expect(existsSync(join(service, 'dist/main.js'))).toBe(true);
    expect(existsSync(join(service, 'dist/handler.test.js'))).toBe(false);
    const lint = await execa('pnpm', ['exec', 'biome', 'check', `services/${serviceName}`], {
      cwd: workspace.root,
      reject: false,
      all: true,
    });
    expect(lint.exitCode, String(lint.all)).toBe(0);
    // A service generated today is up to date for the upgrade's CI check.
    const check = await runPlop(
      ['kafka-consumer:upgrade', '--', '--dir', `services/${serviceName}`, '--check'],
      { PATH: process.env.PATH },
      workspace.root,
    );
    expect(check.exitCode, `${check.stdout}\n${check.stderr}`).toBe(0);
    expect(check.stdout).toContain('is up to date with templates');
  });

  it('generates a share-group service (--group-type share) whose own tests pass on the real broker', async () => {
    // The test kit's brokers run Kafka 4.4 with share groups enabled; the service's tests use them.
    const run = await runPlop(
      [
        'kafka-consumer',
        '--',
        '--name',
        'e2e-thumbnails',
        '--topics',
        'e2e.images',
        '--group-type',
        'share',
        '--yes',
      ],
      { KAFKAKIT_TEST_BROKERS: brokers.join(','), PATH: process.env.PATH },
      workspace.root,
    );
    expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(
      /created services\/e2e-thumbnails\/test\/share-consumer\.integration\.test\.ts/,
    );
    expect(run.stdout).toMatch(/Tests: 9 passed \(9\)/);
    const env = readFileSync(join(workspace.root, 'services/e2e-thumbnails/.env'), 'utf8');
    expect(env).toMatch(/^KAFKA_GROUP_TYPE=share$/m);
    expect(env).not.toMatch(/KAFKA_COMMIT_STRATEGY|KAFKA_ORDERING|KAFKA_FROM_BEGINNING/);
  });

  it('generates a PostgreSQL-inbox service (--idempotency postgres) that passes its own tests, its crash test, and deploys with pg', async () => {
    const name = 'e2e-ledger';
    const env = {
      KAFKAKIT_TEST_BROKERS: brokers.join(','),
      KAFKAKIT_TEST_POSTGRES_URL: postgresUrl,
      PATH: process.env.PATH,
    };
    const run = await runPlop(
      [
        'kafka-consumer',
        '--',
        '--name',
        name,
        '--topics',
        'e2e.payments',
        '--idempotency',
        'postgres',
        '--yes',
      ],
      env,
      workspace.root,
    );
    expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(/created services\/e2e-ledger\/test\/inbox\.integration\.test\.ts/);
    expect(run.stdout).toMatch(/Tests: 14 passed \(14\)/);
    const service = join(workspace.root, 'services', name);
    const lint = await execa('pnpm', ['exec', 'biome', 'check', `services/${name}`], {
      cwd: workspace.root,
      reject: false,
      all: true,
    });
    expect(lint.exitCode, String(lint.all)).toBe(0);

    // The crash test the service ships: SIGKILL x3 while a producer writes, one effect row per message.
    const faults = await execa('pnpm', ['run', 'test:faults'], {
      cwd: service,
      reject: false,
      all: true,
      env: { ...env, CI: 'true' },
    });
    expect(faults.exitCode, String(faults.all)).toBe(0);
    const figures = /\[faults\] (\d+) acknowledged, 3 SIGKILLs, (\d+) redeliveries skipped/.exec(
      String(faults.all),
    );
    expect(figures, String(faults.all)).not.toBeNull();
    process.stdout.write(`[e2e] ${figures?.[0]}\n`);

    const parent = mkdtempSync(join(tmpdir(), 'kafkakit-deployed-pg-'));
    temp.push(parent);
    const app = join(parent, name);
    const deploy = await execa('pnpm', ['deploy:service', name, app], {
      cwd: workspace.root,
      reject: false,
      all: true,
      env: { CI: 'true' },
    });
    expect(deploy.exitCode, String(deploy.all)).toBe(0);
    expect(existsSync(join(app, 'node_modules/pg/package.json'))).toBe(true);
    expect(existsSync(join(app, 'dist/migrate.js'))).toBe(true);
    const kafka = {
      KAFKA_BROKERS: brokers.join(','),
      KAFKA_TOPICS: 'e2e.payments',
      KAFKA_GROUP_ID: 'e2e-ledger',
    };
    const start = (extra: Record<string, string>) =>
      execa(process.execPath, ['dist/main.js'], {
        cwd: app,
        reject: false,
        env: { PATH: process.env.PATH, ...kafka, ...extra },
        extendEnv: false,
        timeout: 30_000,
      });
    const fatal = (stderr: string) => {
      const lines = stderr.trim().split('\n');
      expect(lines, stderr).toHaveLength(1);
      return JSON.parse(lines[0] ?? '') as { msg: string; err: { message: string } };
    };
    const missing = await start({});
    expect(missing.exitCode).toBe(1);
    expect(fatal(missing.stderr).err.message).toMatch(
      /DATABASE_URL: required, e\.g\. DATABASE_URL=postgres:/,
    );
    const unreachable = await start({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/postgres' });
    expect(unreachable.exitCode).toBe(1);
    expect(fatal(unreachable.stderr).err.message).toMatch(
      /DATABASE_URL: cannot reach PostgreSQL at postgres:\/\/postgres@127\.0\.0\.1:1\/postgres: .*ECONNREFUSED/,
    );
    const migrated = await execa(process.execPath, ['dist/migrate.js'], {
      cwd: app,
      reject: false,
      env: { PATH: process.env.PATH, DATABASE_URL: postgresUrl },
      extendEnv: false,
    });
    expect(migrated.exitCode, migrated.stderr).toBe(0);
    expect(migrated.stdout).toMatch(/tables kafka_inbox and example_effects are ready/);
  });

  it('deploys to a folder outside the workspace that runs with node, drains on SIGTERM and commits', async () => {
    const service = join(workspace.root, 'services', serviceName);
    writeFileSync(join(service, 'src/handler.ts'), HOLDING_HANDLER);
    const parent = mkdtempSync(join(tmpdir(), 'kafkakit-deployed-'));
    temp.push(parent);
    const app = join(parent, serviceName);
    const deploy = await execa('pnpm', ['deploy:service', serviceName, app], {
      cwd: workspace.root,
      reject: false,
      all: true,
      env: { CI: 'true' },
    });
    expect(deploy.exitCode, String(deploy.all)).toBe(0);
    deployedApp = app;

    const manifest = readFileSync(join(app, 'package.json'), 'utf8');
    expect(manifest).not.toMatch(/workspace:|catalog:/);
    expect(JSON.parse(manifest)).toMatchObject({ scripts: { start: 'node dist/main.js' } });
    expect(JSON.parse(manifest).devDependencies).toBeUndefined();
    const absent = [
      'src',
      'test',
      '.env',
      ...['@kafkakit/kafka-testkit', 'tsx', 'typescript', 'vitest'].map((dep) => `node_modules/${dep}`),
    ];
    expect(absent.filter((path) => existsSync(join(app, path)))).toEqual([]);

    // Without its required variables it refuses to start, naming each one.
    const bare = await execa(process.execPath, ['dist/main.js'], {
      cwd: app,
      reject: false,
      env: { PATH: process.env.PATH },
      extendEnv: false,
    });
    expect(bare.exitCode).toBe(1);
    // ... in one JSON line with the error's type, message and stack.
    const lines = bare.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    const fatal = JSON.parse(lines[0] ?? '') as { level: number; msg: string; err: Record<string, string> };
    expect(fatal).toMatchObject({ level: 50, msg: 'service failed to start', err: { type: 'ConfigError' } });
    expect(fatal.err.message).toMatch(/KAFKA_BROKERS: required, e\.g\. KAFKA_BROKERS=localhost:9092/);
    expect(fatal.err.message).toMatch(/KAFKA_GROUP_ID: required/);
    expect(fatal.err.stack).toMatch(/ConfigError/);

    const topic = uniqueName('e2e-deployed');
    const groupId = uniqueName('e2e-deployed-group');
    await createTopic(brokers, topic);
    await createTopic(brokers, `${topic}.dlq`);
    try {
      await produceMessages(brokers, topic, [{ key: 'k', value: JSON.stringify({ id: 'e-1' }) }]);
      const child = spawn(process.execPath, ['dist/main.js'], {
        cwd: app,
        env: {
          PATH: process.env.PATH,
          KAFKA_BROKERS: brokers.join(','),
          KAFKA_TOPICS: topic,
          KAFKA_GROUP_ID: groupId,
          KAFKA_FROM_BEGINNING: 'true',
          LOG_LEVEL: 'info',
          HEALTH_PORT: '0',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(child);
      let stdout = '';
      let stderr = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
      });
      child.stderr?.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      await waitFor(() => stdout.includes('started 0'), {
        timeoutMs: 45_000,
        message: 'the deployed service never started handling the message',
      });
      expect(stdout).not.toContain('finished 0');
      // Its health server (prom-client and the runtime's subpath exports resolve in the folder).
      const listening = stderr
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { msg?: string; port?: number })
        .find((record) => record.msg === 'health server listening');
      const base = `http://127.0.0.1:${listening?.port}`;
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
      expect((await fetch(`${base}/livez`)).status).toBe(200);
      expect(await (await fetch(`${base}/metrics`)).text()).toMatch(/^kafka_consumer_handlers_in_flight 1$/m);
      child.kill('SIGTERM');
      const code = await exited;
      expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
      expect(stdout).toContain('finished 0');
      expect(await readCommittedOffsets(brokers, groupId, topic)).toEqual({ 0: '1' });
    } finally {
      await deleteTopics(brokers, [topic, `${topic}.dlq`]).catch(() => undefined);
    }
  });

  describeSecuredCluster(() => {
    if (deployedApp === undefined) throw new Error('the deploy test did not produce a deployed folder');
    return deployedApp;
  });

  it('adds a consumer to an existing service that then installs and typechecks', async () => {
    const addName = 'e2e-billing';
    cpSync(join(REPO_ROOT, 'fixtures/existing-service'), join(workspace.root, 'services', addName), {
      recursive: true,
    });
    const run = await runPlop(
      ['kafka-consumer:add', '--', '--dir', `services/${addName}`, '--topics', 'billing.invoices'],
      { PATH: process.env.PATH },
      workspace.root,
    );
    expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(/changed services\/.*\/src\/server\.ts/);
    // The install step ran the service's own typecheck script on the wired entry point.
    expect(run.stderr).toMatch(/typecheck \(/);
    expect(run.stdout).toMatch(/installed and typechecked/);
    // Its emitted test: the host starts while Kafka is unreachable, the consumer retries, stop() is clean.
    const emitted = await execa(
      process.execPath,
      ['--import', 'tsx', '--test', 'test/kafka-consumer.test.ts'],
      {
        cwd: join(workspace.root, 'services', addName),
        reject: false,
        all: true,
      },
    );
    expect(emitted.exitCode, String(emitted.all)).toBe(0);
  });

  it('answered interactively in a real terminal (`pnpm plop kafka-consumer`), installs and goes green', async () => {
    const tty = new Terminal(
      `node ${PLOP_NODE_ARGS.join(' ')} scripts/plop.ts kafka-consumer`,
      { KAFKAKIT_TEST_BROKERS: brokers.join(',') },
      workspace.root,
    );
    try {
      await tty.expect(/Service name \(kebab-case\)/);
      tty.type(`e2e-itx${ENTER}`);
      await tty.expect(/Topics to consume/);
      tty.type(`e2e.interactive${ENTER}`);
      for (const question of [
        /Consumer group or share group\?/,
        /Group id/,
        /Brokers/,
        /Commit strategy/,
        /Ordering/,
        /Most handler calls in flight/,
        /Retries before/,
        /Retry tiers/,
        /Dead-letter topic/,
        /Start from the earliest offset/,
        /Deduplicate with a PostgreSQL inbox\?/,
        /Install it and verify it now/,
      ]) {
        await tty.expect(question);
        tty.type(ENTER);
      }
      await tty.expect(/Tests: 10 passed \(10\)/, 240_000);
      expect(await tty.exited).toBe(0);
    } finally {
      tty.kill();
    }
  });
});
