import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENV_VARIABLES, type EnvVariable } from '@kafkakit/kafka-consumer';
import ejs from 'ejs';
import * as naming from './naming.js';
import { type Answers, COMMIT_TRADE_OFFS } from './schema.js';

/** templates/ next to src/. */
export const TEMPLATES_DIR = fileURLToPath(new URL('../templates/', import.meta.url));

/** One file of a plan: path relative to the target folder, rendered content. */
export interface PlannedFile {
  path: string;
  template: string;
}

/** Every template under templates/<set>/, as target-relative paths ("src/main.ts" from "src/main.ts.ejs"). */
export function listTemplates(set: string): PlannedFile[] {
  const base = join(TEMPLATES_DIR, set);
  const out: PlannedFile[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ejs')) {
        out.push({
          path: relative(base, full)
            .split(sep)
            .join('/')
            .replace(/\.ejs$/, ''),
          template: full,
        });
      }
    }
  };
  walk(base);
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

/** The KAFKA_* variables (and values) the generated config.ts bakes in as defaults. */
export function bakedEnv(answers: Answers): Record<string, string> {
  return {
    KAFKA_BROKERS: answers.brokers.join(','),
    KAFKA_CLIENT_ID: answers.name,
    KAFKA_GROUP_ID: answers.groupId,
    KAFKA_TOPICS: answers.topics.join(','),
    KAFKA_FROM_BEGINNING: String(answers.fromBeginning),
    KAFKA_COMMIT_STRATEGY: answers.commit,
    ...(answers.commit === 'interval' ? { KAFKA_COMMIT_INTERVAL_MS: '5000' } : {}),
    KAFKA_MAX_RETRIES: String(answers.maxRetries),
    KAFKA_DLQ_TOPIC: answers.dlqTopic ?? 'none',
  };
}

/** What every template sees as `it`. */
export interface TemplateContext {
  a: Answers;
  names: naming.Names;
  /** Escaping and naming helpers: templates print user input only through these. */
  h: typeof naming;
  commitTradeOff: string;
  /** The KAFKA_* defaults baked into the service (variable -> value). */
  defaults: Record<string, string>;
  /** The runtime's environment variables (README table). */
  env: readonly EnvVariable[];
  /** Relative path from the service folder to the workspace root. */
  root: string;
  /** For the add generator: import path of the consumer module etc. */
  extra: Record<string, string>;
}

export function templateContext(answers: Answers, extra: Record<string, string> = {}): TemplateContext {
  return {
    a: answers,
    names: naming.deriveNames(answers.name),
    h: naming,
    commitTradeOff: COMMIT_TRADE_OFFS[answers.commit],
    defaults: bakedEnv(answers),
    env: ENV_VARIABLES,
    root: naming.pathToRoot(answers.dir),
    extra,
  };
}

/** `<%= %>` would HTML-escape: wrong for every language emitted here. It prints this marker instead. */
const RAW_MARK = '\u0000unescaped-output\u0000';

/** Renders one EJS template file with `it` as its only local. */
export function renderTemplate(templatePath: string, context: TemplateContext): string {
  const source = readFileSync(templatePath, 'utf8');
  const out = ejs.render(source, context as unknown as ejs.Data, {
    filename: templatePath,
    localsName: 'it',
    _with: false,
    strict: true,
    escape: (value: unknown) => (typeof value === 'string' && value === templatePath ? value : RAW_MARK),
    async: false,
  });
  if (out.includes(RAW_MARK)) {
    throw new Error(
      `${templatePath}: print values through an escaping helper (<%- it.h.tsString(x) %>), not <%= x %>`,
    );
  }
  return out;
}

/** Renders a whole template set in memory: the plan the actions write (and --dry-run lists). */
export function renderSet(set: string, context: TemplateContext): { path: string; content: string }[] {
  return listTemplates(set).map((file) => ({
    path: file.path,
    content: renderTemplate(file.template, context),
  }));
}
