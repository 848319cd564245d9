import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ORDERING_HANDLER_NOTE } from '../../src/choices.js';
import { renderSet, templateContext } from '../../src/render.js';
import { GENERATOR_VERSION } from '../../src/upgrade/record.js';
import { emptyWorkspace, readTree } from '../helpers/golden.js';
import { renderVersion, upgrade } from '../helpers/upgrade.js';

/**
 * kafka-consumer:upgrade on services written by the previous template set (template-history/0.1.0)
 * in a temporary workspace: edits kept, template changes applied, conflicts marked and listed, a
 * re-run changes nothing.
 */
const root = emptyWorkspace(mkdtempSync(join(tmpdir(), 'kafkakit-upgrade-')));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const GIVEN = { name: 'payments', topics: 'payments.captured,payments.refunded', ordering: 'key' };
const file = (dir: string, path: string) => readFileSync(join(root, dir, path), 'utf8');
const edit = (dir: string, path: string, from: string, to: string) => {
  const before = file(dir, path);
  if (!before.includes(from)) throw new Error(`${path} has no ${JSON.stringify(from)}`);
  writeFileSync(join(root, dir, path), before.replace(from, to));
};
/** Today's render of one file of `dir` with these answers. */
const today = (dir: string, path: string, answers: Record<string, unknown> = {}) => {
  const context = templateContext(
    renderVersion(mkdtempSync(join(tmpdir(), 'r-')), dir, '0.1.0', { ...GIVEN, ...answers }),
  );
  return renderSet('service', context).find((f) => f.path === path)?.content;
};

/** A 0.1.0 service whose handler body and config import line the user edited. */
function editedService(dir: string) {
  renderVersion(root, dir, '0.1.0', GIVEN);
  edit(
    dir,
    'src/handler.ts',
    "log.debug({ topic, partition, offset: message.offset, id: value.id, type: value.type }, 'event processed');",
    "await settle(value.id); // my edit\n  log.debug({ topic, partition, offset: message.offset }, 'event processed');",
  );
  edit(
    dir,
    'src/config.ts',
    "import { ConfigError, type EnvOptions, loadOptionsFromEnv } from '@kafkakit/kafka-consumer';",
    "import { ConfigError, type EnvOptions, loadOptionsFromEnv } from '@kafkakit/kafka-consumer'; // mine",
  );
}

describe('pnpm plop kafka-consumer:upgrade', () => {
  it('keeps edits, applies template changes, writes and lists conflicts (exit 1); a re-run after resolving changes nothing', async () => {
    const dir = 'services/payments';
    editedService(dir);
    expect(file(dir, 'src/main.ts')).toContain('loadHealthConfig'); // precondition: 0.1.0's main.ts
    const run = await upgrade(root, '--dir', dir);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toContain(`${dir} upgraded: templates 0.1.0 -> ${GENERATOR_VERSION}`);
    expect(run.stderr).toContain(`1 file(s) were written with conflict markers`);
    expect(run.stderr).toContain(`  ${dir}/src/config.ts`);
    // The handler: the user's body and today's ordering comment, merged without a conflict.
    const handler = file(dir, 'src/handler.ts');
    expect(handler).toContain('await settle(value.id); // my edit');
    expect(handler).toContain(ORDERING_HANDLER_NOTE.key);
    expect(run.stdout).toMatch(/updated\s+services\/payments\/src\/handler\.ts \(merged\)/);
    // Untouched files take today's template; new ones appear, dropped ones go.
    expect(file(dir, 'src/main.ts')).toBe(today(dir, 'src/main.ts'));
    expect(file(dir, 'Dockerfile')).toContain('corepack enable && corepack install');
    expect(file(dir, 'src/logger.ts')).toBe(today(dir, 'src/logger.ts'));
    const tree = readTree(join(root, dir));
    expect(tree.has('test/fixtures/use-slow-handler.ts')).toBe(false);
    expect(tree.has('test/fixtures/slow-service.ts')).toBe(true);
    // The conflict, with both sides and the base.
    expect(file(dir, 'src/config.ts')).toMatch(
      /<<<<<<< yours\n.*\/\/ mine\n\|\|\|\|\|\|\| template 0\.1\.0\n[\s\S]*=======\n.*type LogLevel[\s\S]*>>>>>>> template 0\.2\.0/,
    );
    // Not given, so today's default: key ordering now runs 16 at once.
    expect(file(dir, '.env')).toContain('KAFKA_CONCURRENCY=16');
    expect(JSON.parse(file(dir, '.kafkakit-generator.json')).version).toBe(GENERATOR_VERSION);

    const dirty = await upgrade(root, '--dir', dir);
    expect(dirty.code).toBe(2);
    expect(dirty.stderr).toContain(
      `${dir} still has conflict markers from an earlier upgrade in src/config.ts`,
    );

    writeFileSync(join(root, dir, 'src/config.ts'), today(dir, 'src/config.ts') ?? '');
    const resolved = readTree(join(root, dir));
    const again = await upgrade(root, '--dir', dir);
    expect(again).toMatchObject({
      code: 0,
      stdout: `${dir} is up to date with templates ${GENERATOR_VERSION}; nothing to change.`,
    });
    expect(readTree(join(root, dir))).toEqual(resolved);
    expect((await upgrade(root, '--dir', dir, '--check')).code).toBe(0);
  });

  it('--check exits 1 on a service behind, --dry-run prints the diff; neither writes', async () => {
    const dir = 'services/behind';
    editedService(dir);
    const before = readTree(join(root, dir));
    const check = await upgrade(root, '--dir', dir, '--check');
    expect(check.code).toBe(1);
    expect(check.stdout).toContain(`${dir} is behind: templates 0.1.0 -> ${GENERATOR_VERSION}`);
    const dry = await upgrade(root, '--dir', dir, '--dry-run');
    expect(dry.code).toBe(1);
    expect(dry.stdout).toContain(`--- a/${dir}/src/main.ts\n+++ b/${dir}/src/main.ts`);
    expect(dry.stdout).toContain("+import { createLogger } from './logger.js';");
    expect(dry.stderr).toContain('1 file(s) would get conflict markers');
    expect(readTree(join(root, dir))).toEqual(before);
  });

  it('changes an answer on upgrade (--ordering unordered), re-rendering what depends on it, edits kept', async () => {
    const dir = 'services/reorder';
    renderVersion(root, dir, GENERATOR_VERSION, GIVEN);
    edit(dir, 'src/handler.ts', "'event processed'", "'payment settled'");
    const run = await upgrade(root, '--dir', dir, '--ordering', 'unordered');
    expect(run.code, run.stderr).toBe(0);
    expect(file(dir, 'src/handler.ts')).toContain(ORDERING_HANDLER_NOTE.unordered);
    expect(file(dir, 'src/handler.ts')).toContain("'payment settled'");
    expect(file(dir, '.env')).toContain('KAFKA_ORDERING=unordered');
    expect(JSON.parse(file(dir, '.kafkakit-generator.json')).answers.ordering).toBe('unordered');
    expect((await upgrade(root, '--dir', dir)).stdout).toContain('is up to date');
  });

  it('turns the PostgreSQL inbox on with --idempotency postgres: new files written, edits kept', async () => {
    const dir = 'services/inbox-later';
    renderVersion(root, dir, GENERATOR_VERSION, GIVEN);
    edit(dir, 'src/handler.ts', '  occurredAt: string;', '  occurredAt: string; // ISO 8601, mine');
    const run = await upgrade(root, '--dir', dir, '--idempotency', 'postgres');
    expect(run.code, run.stderr).toBe(0);
    for (const path of ['src/database.ts', 'src/migrate.ts', 'test/inbox.integration.test.ts']) {
      expect(run.stdout).toContain(`${dir}/${path} (new)`);
    }
    expect(file(dir, 'src/handler.ts')).toContain('await tx.query(');
    expect(file(dir, 'src/handler.ts')).toContain('occurredAt: string; // ISO 8601, mine');
    expect(JSON.parse(file(dir, 'package.json'))).toMatchObject({
      scripts: { migrate: 'node --env-file-if-exists=.env dist/migrate.js' },
      dependencies: { pg: expect.any(String) },
    });
    expect(file(dir, '.env')).toMatch(/^DATABASE_URL=postgres:\/\/postgres@127\.0\.0\.1:5432\/postgres$/m);
    expect(JSON.parse(file(dir, '.kafkakit-generator.json')).answers.idempotency).toBe('postgres');
    expect((await upgrade(root, '--dir', dir)).stdout).toContain('is up to date');
  });

  it('adopts a service from before records with --from and its answers', async () => {
    const dir = 'services/legacy';
    renderVersion(root, dir, '0.1.0', GIVEN, false);
    const run = await upgrade(
      root,
      '--dir',
      dir,
      '--from',
      '0.1.0',
      '--name',
      'payments',
      '--topics',
      GIVEN.topics,
      '--ordering',
      'key',
    );
    expect(run.code, run.stderr).toBe(0);
    expect(file(dir, 'src/main.ts')).toBe(today(dir, 'src/main.ts'));
  });
});

describe('hostile upgrade input: a clear message, exit 2, nothing written', () => {
  const cases: Array<[string, (dir: string) => void, string[], RegExp]> = [
    [
      'a folder that is not a generated service',
      (dir) => {
        emptyWorkspace(join(root, dir));
        writeFileSync(join(root, dir, 'package.json'), '{}');
      },
      [],
      /has no \.kafkakit-generator\.json: it is not a service generated by pnpm plop kafka-consumer/,
    ],
    ['a folder that does not exist', () => undefined, [], /does not exist/],
    [
      'a version file from the future',
      (dir) => {
        renderVersion(root, dir, '0.1.0', GIVEN);
        edit(dir, '.kafkakit-generator.json', '"version": "0.1.0"', '"version": "9.0.0"');
      },
      [],
      /generated by version 9\.0\.0, newer than this generator \(0\.2\.0\)/,
    ],
    [
      'a version file that is not JSON',
      (dir) => {
        renderVersion(root, dir, '0.1.0', GIVEN);
        writeFileSync(join(root, dir, '.kafkakit-generator.json'), '{ not json');
      },
      [],
      /\.kafkakit-generator\.json is not JSON/,
    ],
    [
      'a version file with a forged field',
      (dir) => {
        renderVersion(root, dir, '0.1.0', GIVEN);
        edit(
          dir,
          '.kafkakit-generator.json',
          '"version": "0.1.0"',
          '"version": "0.1.0", "postinstall": "rm -rf /"',
        );
      },
      [],
      /is not a generator record/,
    ],
    [
      'a dirty conflict left from a previous run',
      (dir) => {
        renderVersion(root, dir, GENERATOR_VERSION, GIVEN);
        edit(dir, 'src/main.ts', 'import { realpathSync }', '<<<<<<< yours\nimport { realpathSync }');
      },
      [],
      /still has conflict markers from an earlier upgrade in src\/main\.ts/,
    ],
    [
      'an unknown template version in --from',
      (dir) => {
        renderVersion(root, dir, '0.1.0', GIVEN, false);
      },
      ['--from', '0.0.7', '--name', 'payments', '--topics', 'a'],
      /no templates of version 0\.0\.7/,
    ],
    [
      'a bad answer on upgrade',
      (dir) => {
        renderVersion(root, dir, GENERATOR_VERSION, GIVEN);
      },
      ['--ordering', 'random'],
      /Invalid --ordering: the ordering must be one of/,
    ],
    [
      'a path outside the workspace',
      () => undefined,
      [],
      /Invalid --dir: the target folder may not contain "\.\."/,
    ],
  ];
  it.each(cases)('%s', async (label, setUp, extra, message) => {
    const dir =
      label === 'a path outside the workspace'
        ? '../outside'
        : `services/hostile-${cases.findIndex((c) => c[0] === label)}`;
    setUp(dir);
    const before = readTree(join(root, dir));
    const run = await upgrade(root, '--dir', dir, ...extra);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toContain('Nothing was written.');
    expect(run.code).toBe(2);
    expect(readTree(join(root, dir))).toEqual(before);
  });
});
