import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TEMPLATES_DIR } from '../render.js';
import { compareVersions, GENERATOR_VERSION, UpgradeError } from './record.js';

/**
 * Where the templates of a version live: today's under templates/, every earlier released set under
 * template-history/<version>/ (copied there by the release that replaced it, never edited after).
 */
const HISTORY_DIR = fileURLToPath(new URL('../../template-history/', import.meta.url));

export function templatesFor(version: string): string {
  if (compareVersions(version, GENERATOR_VERSION) === 0) return TEMPLATES_DIR;
  const dir = `${HISTORY_DIR}${version}/`;
  if (!existsSync(dir)) {
    throw new UpgradeError(
      `no templates of version ${version} in template-history/ (known: the snapshots there and ${GENERATOR_VERSION})`,
    );
  }
  return dir;
}
