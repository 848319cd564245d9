import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { matchesWorkspace, readWorkspace } from '../../src/workspace.js';

const root = mkdtempSync(join(tmpdir(), 'kafkakit-ws-yaml-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('pnpm-workspace.yaml', () => {
  it('is read with a YAML parser: quoted globs, flow lists, comments and the catalog', () => {
    writeFileSync(
      join(root, 'pnpm-workspace.yaml'),
      [
        '# the packages',
        'packages: ["packages/*", \'apps/**\', "!apps/legacy/**"]',
        'catalog:',
        '  typescript: 5.9.3 # pinned',
        '  "@types/node": ^20.19.0',
      ].join('\n'),
    );
    expect(readWorkspace(root)).toEqual({
      packages: ['packages/*', 'apps/**', '!apps/legacy/**'],
      catalog: { typescript: '5.9.3', '@types/node': '^20.19.0' },
    });
  });

  it('matches package folders with the glob library, honouring excludes', () => {
    const globs = ['packages/*', 'apps/**', '!apps/legacy/**', 'services/*'];
    expect(matchesWorkspace(globs, 'services/orders')).toBe(true);
    expect(matchesWorkspace(globs, './services/orders/')).toBe(true);
    expect(matchesWorkspace(globs, 'apps/web/admin')).toBe(true);
    expect(matchesWorkspace(globs, 'services/orders/nested')).toBe(false);
    expect(matchesWorkspace(globs, 'apps/legacy/old')).toBe(false);
    expect(matchesWorkspace(globs, 'elsewhere/orders')).toBe(false);
    expect(matchesWorkspace(globs, '/services/orders')).toBe(false);
    expect(matchesWorkspace([], 'services/orders')).toBe(false);
  });

  it('an absent file is an empty workspace', () => {
    expect(readWorkspace(join(root, 'nope'))).toEqual({ packages: [], catalog: {} });
  });
});
