import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { NodePlopAPI } from 'node-plop';
import { renderTemplate, type TemplateContext } from '../render.js';

export const RENDER_EJS = 'kafkakit:render-ejs';

export interface RenderEjsConfig {
  type: typeof RENDER_EJS;
  /** Absolute path of the .ejs template. */
  template: string;
  /** Target path, relative to the plop destination root (the workspace root). */
  path: string;
  context: TemplateContext;
  dryRun: boolean;
  /**
   * What to do when the target exists: 'fail' (new service: never overwrite) or 'skip' (add path:
   * a user's file is left alone, an identical one counts as unchanged).
   */
  ifExists: 'fail' | 'skip';
}

/**
 * Custom plop action: render one EJS template and write it (plop's built-in `add` is Handlebars-only,
 * and Handlebars trips on TypeScript braces). Returns the line plop reports.
 */
export function renderEjsAction(_answers: unknown, config: unknown, plop?: NodePlopAPI): string {
  const cfg = config as RenderEjsConfig;
  const base = plop?.getDestBasePath() ?? process.cwd();
  const target = resolve(base, cfg.path);
  const content = renderTemplate(cfg.template, cfg.context);
  if (existsSync(target)) {
    const same = readFileSync(target, 'utf8') === content;
    if (cfg.ifExists === 'skip' || same) return `unchanged ${cfg.path}${same ? '' : ' (exists; left as is)'}`;
    throw new Error(`${cfg.path} already exists; refusing to overwrite it`);
  }
  if (cfg.dryRun) return `would create ${cfg.path}`;
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, content, { flag: 'wx' });
  return `created ${cfg.path}`;
}
