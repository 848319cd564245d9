import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULTS, STOP_BOUND_MS } from '@kafkakit/kafka-consumer';
import ejs from 'ejs';
import { COMMIT_TRADE_OFFS, DLQ_PER_TOPIC, ORDERING_HANDLER_NOTE, SHARE_HANDLER_NOTE } from './choices.js';
import * as naming from './naming.js';
import type { Answers } from './schema.js';
import { DEFAULT_HEALTH_PORT, type ServiceVariable, serviceVariables } from './service-env.js';
import { readWorkspace } from './workspace.js';

/** templates/ next to src/. */
export const TEMPLATES_DIR = fileURLToPath(new URL('../templates/', import.meta.url));

/** One file of a plan: path relative to the target folder, rendered content. */
export interface PlannedFile {
  path: string;
  template: string;
}

/** Every template under <templates>/<set>/, as target-relative paths ("src/main.ts" from "src/main.ts.ejs"). */
export function listTemplates(set: string, templatesDir: string = TEMPLATES_DIR): PlannedFile[] {
  const base = join(templatesDir, set);
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

/** The generator's own workspace (where the runtime and the catalog live). */
const GENERATOR_WORKSPACE = fileURLToPath(new URL('../../../', import.meta.url));

/** Versions the emitted package.json pins: the workspace catalog's, written out (no `catalog:` in a service). */
export function serviceVersions(): Record<string, string> {
  const { catalog } = readWorkspace(GENERATOR_WORKSPACE);
  const pick = (name: string) => {
    const version = catalog[name];
    if (version === undefined) throw new Error(`pnpm-workspace.yaml has no catalog entry for ${name}`);
    return version;
  };
  const root = JSON.parse(readFileSync(join(GENERATOR_WORKSPACE, 'package.json'), 'utf8')) as {
    packageManager?: string;
  };
  // The runtime's optional peers, at the versions its own tests run with.
  const runtime = JSON.parse(
    readFileSync(join(GENERATOR_WORKSPACE, 'packages/kafka-consumer/package.json'), 'utf8'),
  ) as { devDependencies?: Record<string, string> };
  const peer = (name: string) => {
    const version = runtime.devDependencies?.[name];
    if (version === undefined) throw new Error(`packages/kafka-consumer has no devDependency ${name}`);
    return version;
  };
  return {
    pnpm: /^pnpm@(\d+\.\d+\.\d+)/.exec(root.packageManager ?? '')?.[1] ?? '10',
    node: NODE_ENGINE,
    runtime: 'workspace:*',
    testkit: 'workspace:*',
    '@opentelemetry/api': peer('@opentelemetry/api'),
    'prom-client': peer('prom-client'),
    pg: peer('pg'),
    '@types/pg': peer('@types/pg'),
    '@types/node': pick('@types/node'),
    tsx: pick('tsx'),
    typescript: pick('typescript'),
    vitest: pick('vitest'),
    pino: pick('pino'),
  };
}

/** The service's `engines.node`: the oldest Node the emitted code and scripts run on (--env-file-if-exists). */
export const NODE_ENGINE = '>=20.19';
/** The Node image the Dockerfile pins: the current LTS line. */
export const NODE_IMAGE = 'node:24.11.1-slim';

export interface OperatingFigures {
  healthPort: number;
  /** KAFKA_DRAIN_TIMEOUT_MS when unset. */
  drainTimeoutMs: number;
  /** disconnect() ends within drainTimeoutMs + this (the runtime's STOP_BOUND_MS). */
  stopBoundMs: number;
  /** Added on top for the kubelet's own SIGTERM delivery and the process exit. */
  marginSeconds: number;
  /** ceil((drainTimeoutMs + stopBoundMs) / 1000) + marginSeconds. */
  terminationGracePeriodSeconds: number;
}

/** The termination grace period for a drain timeout: the runtime's stop bound plus a margin. */
export function operatingFigures(
  drainTimeoutMs: number = DEFAULTS.shutdown.drainTimeoutMs,
): OperatingFigures {
  const marginSeconds = 5;
  return {
    healthPort: DEFAULT_HEALTH_PORT,
    drainTimeoutMs,
    stopBoundMs: STOP_BOUND_MS,
    marginSeconds,
    terminationGracePeriodSeconds: Math.ceil((drainTimeoutMs + STOP_BOUND_MS) / 1000) + marginSeconds,
  };
}

/** What every template sees as `it`. */
export interface TemplateContext {
  a: Answers;
  names: naming.Names;
  /** Escaping and naming helpers: templates print user input only through these. */
  h: typeof naming;
  /** What the commit strategy trades ('' for a share group, which commits nothing). */
  commitTradeOff: string;
  /** The handler comment's line on how calls overlap under the chosen ordering (or in a share group). */
  orderingNote: string;
  /** Names of the secret variables (KAFKA_SASL_PASSWORD, ...), for the logger's redaction. */
  secrets: readonly string[];
  /** Every variable the service reads, with the generator's answer where there is one (.env, README). */
  env: readonly ServiceVariable[];
  /** The dead-letter answer: per source topic (runtime default), none, or one named topic. */
  dlq: { mode: 'per-topic' | 'none' | 'topic'; topic: string | undefined };
  versions: Record<string, string>;
  nodeImage: string;
  /** What the README's "Operating it" section computes from. */
  ops: OperatingFigures;
  /** For the add generator: import path of the consumer module etc. */
  extra: Record<string, string>;
}

export function templateContext(answers: Answers, extra: Record<string, string> = {}): TemplateContext {
  const env = serviceVariables(answers, answers.envPrefix);
  const dlq =
    answers.dlqTopic === null
      ? ({ mode: 'none', topic: undefined } as const)
      : answers.dlqTopic === DLQ_PER_TOPIC
        ? ({ mode: 'per-topic', topic: undefined } as const)
        : ({ mode: 'topic', topic: answers.dlqTopic } as const);
  return {
    a: answers,
    names: naming.deriveNames(answers.name),
    h: naming,
    commitTradeOff: answers.commit === undefined ? '' : COMMIT_TRADE_OFFS[answers.commit],
    orderingNote:
      answers.groupType === 'share'
        ? SHARE_HANDLER_NOTE
        : ORDERING_HANDLER_NOTE[answers.ordering ?? 'partition'],
    secrets: env.filter((variable) => variable.secret).map((variable) => variable.name),
    env,
    dlq,
    versions: serviceVersions(),
    nodeImage: NODE_IMAGE,
    ops: operatingFigures(),
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

/** Templates rendered for some services only (every other one is rendered for all). */
const ONLY_FOR: Readonly<Record<string, (answers: Answers) => boolean>> = {
  'test/consumer.integration.test.ts': (a) => (a.groupType ?? 'consumer') === 'consumer',
  'test/share-consumer.integration.test.ts': (a) => a.groupType === 'share',
  'src/database.ts': (a) => a.idempotency === 'postgres',
  'src/migrate.ts': (a) => a.idempotency === 'postgres',
  'test/inbox.integration.test.ts': (a) => a.idempotency === 'postgres',
  'test/faults/sigkill.fault.test.ts': (a) => a.idempotency === 'postgres',
  'test/fixtures/effects-service.ts': (a) => a.idempotency === 'postgres',
  'vitest.faults.config.ts': (a) => a.idempotency === 'postgres',
};

/** Whether a template (target-relative path) belongs to a service with these answers. */
export function templateApplies(path: string, answers: Pick<Answers, 'groupType' | 'idempotency'>): boolean {
  return ONLY_FOR[path]?.(answers as Answers) ?? true;
}

/** Renders a whole template set in memory (today's, or a snapshot's under template-history/): the plan the actions write. */
export function renderSet(
  set: string,
  context: TemplateContext,
  templatesDir: string = TEMPLATES_DIR,
): { path: string; content: string }[] {
  return listTemplates(set, templatesDir)
    .filter((file) => templateApplies(file.path, context.a))
    .map((file) => ({
      path: file.path,
      content: renderTemplate(file.template, context),
    }));
}
