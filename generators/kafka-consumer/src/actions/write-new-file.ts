import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { NodePlopAPI } from 'node-plop';
import type { ActionReport } from './report.js';

export const WRITE_NEW_FILE = 'kafkakit:write-new-file';

export interface WriteNewFileConfig {
  type: typeof WRITE_NEW_FILE;
  /** Target path, relative to the plop destination root (the workspace root). */
  path: string;
  /** Rendered before any action ran, so a template error writes nothing. */
  content: string;
  dryRun: boolean;
  /**
   * When the target exists: 'fail' (new service: never overwrite) or 'skip' (add path: a user's
   * file is left alone, an identical one counts as unchanged).
   */
  ifExists: 'fail' | 'skip';
  report: ActionReport;
}

/** Custom plop action: write one rendered file that must not exist yet (plop's `add` is Handlebars-only). */
export function writeNewFileAction(_answers: unknown, config: unknown, plop?: NodePlopAPI): string {
  const cfg = config as WriteNewFileConfig;
  const target = resolve(plop?.getDestBasePath() ?? process.cwd(), cfg.path);
  if (existsSync(target)) {
    const same = readFileSync(target, 'utf8') === cfg.content;
    if (cfg.ifExists === 'skip' || same) {
      return cfg.report.record({
        kind: 'unchanged',
        path: cfg.path,
        ...(same ? {} : { detail: 'exists; left as is' }),
      });
    }
    throw new Error(`${cfg.path} already exists; refusing to overwrite it`);
  }
  if (cfg.dryRun) return cfg.report.record({ kind: 'would-create', path: cfg.path });
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, cfg.content, { flag: 'wx' });
  return cfg.report.record({ kind: 'created', path: cfg.path });
}
