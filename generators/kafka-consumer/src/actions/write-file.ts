import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { NodePlopAPI } from 'node-plop';
import type { ActionReport } from './report.js';

export const WRITE_FILE = 'kafkakit:edit-file';

export interface WriteFileConfig {
  type: typeof WRITE_FILE;
  /** Relative to the plop destination root. */
  path: string;
  /** The content the edit was planned from; the file must still hold exactly this. */
  before: string;
  after: string;
  dryRun: boolean;
  report: ActionReport;
}

/** Custom plop action: apply a planned edit to an existing file, only if the file did not change meanwhile. */
export function writeFileAction(_answers: unknown, config: unknown, plop?: NodePlopAPI): string {
  const cfg = config as WriteFileConfig;
  if (cfg.before === cfg.after) return cfg.report.record({ kind: 'unchanged', path: cfg.path });
  if (cfg.dryRun) return cfg.report.record({ kind: 'would-change', path: cfg.path });
  const target = resolve(plop?.getDestBasePath() ?? process.cwd(), cfg.path);
  if (readFileSync(target, 'utf8') !== cfg.before)
    throw new Error(`${cfg.path} changed while planning; run again`);
  writeFileSync(target, cfg.after);
  return cfg.report.record({ kind: 'changed', path: cfg.path });
}
