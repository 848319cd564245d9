import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { GOLDEN_DIR, listCases, READ_ME_UPDATE, REPO_ROOT, readTree, renderCase } from '../helpers/golden.js';

/**
 * Each fixtures/generator/<case>/answers.json is rendered with the real command (flags, --no-install)
 * into a temporary workspace and every emitted file is compared with expected/**, both ways.
 * Regenerate on purpose with `pnpm --filter @kafkakit/generator-kafka-consumer golden:update`.
 */
const dest = mkdtempSync(join(tmpdir(), 'kafkakit-golden-'));
afterAll(() => rmSync(dest, { recursive: true, force: true }));

const cases = listCases();

describe('golden trees', () => {
  it('covers every commit strategy, the DLQ off and several topics', () => {
    expect(cases).toEqual(
      expect.arrayContaining(['per-message', 'per-batch', 'interval', 'dlq-off', 'multi-topic']),
    );
  });

  it.each(cases)('%s matches its expected tree', { timeout: 60_000 }, async (caseName) => {
    const serviceDir = await renderCase(caseName, join(dest, caseName));
    const actual = readTree(serviceDir);
    const expected = readTree(join(GOLDEN_DIR, caseName, 'expected'));
    expect([...actual.keys()], `file list differs; ${READ_ME_UPDATE}`).toEqual([...expected.keys()]);
    for (const [path, content] of expected) {
      expect(actual.get(path), `${caseName}/${path} differs; ${READ_ME_UPDATE}`).toBe(content);
    }
  });

  it('every rendered case passes Biome (lint + format) as emitted', { timeout: 60_000 }, async () => {
    const result = await execa('pnpm', ['exec', 'biome', 'check', '--no-errors-on-unmatched', dest], {
      cwd: REPO_ROOT,
      reject: false,
      all: true,
    });
    expect(result.exitCode, String(result.all)).toBe(0);
  });
});
