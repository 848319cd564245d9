import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GOLDEN_DIR, listCases, renderCase } from '../test/helpers/golden.js';

/**
 * Regenerates fixtures/generator/<case>/expected/** from each answers.json, on purpose only
 * (`pnpm --filter @kafkakit/generator-kafka-consumer golden:update`). CI never runs this: the golden
 * tests compare against what is committed. Review the diff before committing it.
 */
const only = process.argv.slice(2).filter((arg) => arg !== '--');
for (const caseName of listCases()) {
  if (only.length > 0 && !only.includes(caseName)) continue;
  const dest = mkdtempSync(join(tmpdir(), `golden-${caseName}-`));
  try {
    const serviceDir = await renderCase(caseName, dest);
    const expected = join(GOLDEN_DIR, caseName, 'expected');
    rmSync(expected, { recursive: true, force: true });
    cpSync(serviceDir, expected, { recursive: true });
    process.stdout.write(`updated ${caseName}\n`);
  } finally {
    rmSync(dest, { recursive: true, force: true });
  }
}
