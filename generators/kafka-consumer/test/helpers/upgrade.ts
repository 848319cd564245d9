import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type CliIo, runCli } from '../../src/cli.js';
import { renderSet, templateContext } from '../../src/render.js';
import { type RawAnswers, resolveAnswers } from '../../src/schema.js';
import { templatesFor } from '../../src/upgrade/history.js';
import { RECORD_FILE, recordText } from '../../src/upgrade/record.js';
import { REPO_ROOT } from './golden.js';

/**
 * Writes the service `dir` under `root` as generator `version` rendered it (today's templates, or
 * its snapshot under template-history/), with the record that version writes; `record: false` leaves the record out
 * (a service from before records existed).
 */
export function renderVersion(root: string, dir: string, version: string, given: RawAnswers, record = true) {
  const answers = resolveAnswers({ ...given, dir, install: false }, { useDefaults: true });
  const files = renderSet('service', templateContext(answers), templatesFor(version));
  for (const file of files) {
    const target = join(root, dir, file.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.content);
  }
  if (record)
    writeFileSync(join(root, dir, RECORD_FILE), recordText(answers, Object.keys(given), files, version));
  return answers;
}

/** runCli as `pnpm plop kafka-consumer:upgrade` calls it, without a terminal; output captured. */
export async function upgrade(root: string, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (text) => out.push(text), err: (text) => err.push(text), interactive: false };
  const code = await runCli(['kafka-consumer:upgrade', '--', ...args, '--cwd', root], REPO_ROOT, io);
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}
