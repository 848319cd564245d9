import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { NodePlopAPI } from 'node-plop';
import { INSTALL, type InstallConfig, installAction } from './actions/install.js';
import type { ActionReport } from './actions/report.js';
import { WRITE_FILE, type WriteFileConfig, writeFileAction } from './actions/write-file.js';
import { WRITE_NEW_FILE, type WriteNewFileConfig, writeNewFileAction } from './actions/write-new-file.js';
import { addDependency, inspectService, MODULE_DIR, wireEntry, wiringLines } from './add.js';
import {
  ADD_FIELDS,
  ADD_GENERATOR,
  SERVICE_FIELDS,
  SERVICE_GENERATOR,
  UPGRADE_GENERATOR,
} from './generators.js';
import { type PromptApi, promptForMissing } from './prompts.js';
import { renderSet, templateContext } from './render.js';
import { type Answers, type RawAnswers, resolveAnswers } from './schema.js';
import { assertFreshTarget } from './target.js';
import { unifiedDiff } from './text-diff.js';
import { RECORD_FILE, recordText } from './upgrade/record.js';

/** What the actions functions receive from node-plop's runActions: answers, run flags, the report. */
export type RunData = RawAnswers & { dryRun?: boolean; given?: string[]; report: ActionReport };

type Action = WriteNewFileConfig | InstallConfig | WriteFileConfig;

/**
 * Actions for a new service: every template is rendered first (a template error writes nothing),
 * then one write per file, then install + build + typecheck + tests.
 */
export function serviceActions(
  answers: Answers,
  dryRun: boolean,
  report: ActionReport,
  given: readonly string[] = [],
): Action[] {
  const rendered = renderSet('service', templateContext(answers));
  // The generator version, the answers and a hash per file: what kafka-consumer:upgrade merges from.
  const files = [...rendered, { path: RECORD_FILE, content: recordText(answers, given, rendered) }];
  const actions: Action[] = files.map((file) => ({
    type: WRITE_NEW_FILE,
    path: `${answers.dir}/${file.path}`,
    content: file.content,
    dryRun,
    ifExists: 'fail' as const,
    report,
  }));
  if (answers.install && !dryRun) {
    actions.push({ type: INSTALL, dir: answers.dir, verify: 'full', packageName: answers.name, report });
  }
  return actions;
}

export interface AddPlan {
  actions: Action[];
  /** Lines the user must add by hand (entry point not found or not safe to edit). */
  manual: string | undefined;
}

/** Actions for adding the consumer to an existing service at answers.dir (relative to root). */
export function addPlan(root: string, answers: Answers, dryRun: boolean, report: ActionReport): AddPlan {
  const serviceDir = resolve(root, answers.dir);
  const info = inspectService(serviceDir);
  const actions: Action[] = [];
  const pkgPath = join(serviceDir, 'package.json');
  const pkgBefore = readFileSync(pkgPath, 'utf8');
  actions.push({
    type: WRITE_FILE,
    path: `${answers.dir}/package.json`,
    before: pkgBefore,
    after: addDependency(pkgBefore),
    dryRun,
    report,
  });
  const files = renderSet('add', templateContext(answers, { moduleDir: MODULE_DIR }));
  assertSameAnswers(serviceDir, answers.dir, files);
  for (const file of files) {
    actions.push({
      type: WRITE_NEW_FILE,
      path: `${answers.dir}/${file.path}`,
      content: file.content,
      dryRun,
      ifExists: 'skip',
      report,
    });
  }
  let manual: string | undefined;
  if (info.entry) {
    const before = readFileSync(join(serviceDir, info.entry), 'utf8');
    const wired = wireEntry(before, info.entry, info.isEsm);
    if (wired.kind === 'edit') {
      if (wired.stop !== 'wired') manual = wired.stop.manual;
      actions.push({
        type: WRITE_FILE,
        path: `${answers.dir}/${info.entry}`,
        before,
        after: wired.after,
        dryRun,
        report,
      });
    } else if (wired.kind === 'manual') {
      manual = manualText(info.entry, wired.reason);
    } else {
      report.record({ kind: 'unchanged', path: `${answers.dir}/${info.entry}`, detail: wired.reason });
    }
  } else {
    manual = manualText(
      'src/index.ts',
      'no entry point found (package.json main/start, src/index.ts, src/main.ts)',
    );
  }
  if (answers.install && !dryRun) {
    actions.push({
      type: INSTALL,
      dir: answers.dir,
      verify: 'typecheck',
      packageName: info.packageName,
      report,
    });
  }
  return { actions, manual };
}

/** Files the user is expected to edit: a re-run leaves them alone whatever they hold. */
const USER_OWNED = new Set([`${MODULE_DIR}/handler.ts`]);

export class AnswersChangedError extends Error {
  override name = 'AnswersChangedError';
}

/**
 * A re-run with other answers than the first: show what would differ and write nothing (the user
 * decides: edit the file, or delete it and run again).
 */
function assertSameAnswers(serviceDir: string, dir: string, files: { path: string; content: string }[]) {
  const differences: string[] = [];
  for (const file of files) {
    const target = join(serviceDir, file.path);
    if (USER_OWNED.has(file.path) || !existsSync(target)) continue;
    const current = readFileSync(target, 'utf8');
    if (current === file.content) continue;
    differences.push(unifiedDiff(`${dir}/${file.path}`, current, file.content));
  }
  if (differences.length > 0) {
    throw new AnswersChangedError(
      [
        'The consumer was added before with other answers; these files would differ (- now, + with these answers):',
        '',
        ...differences,
        'Edit them by hand, or delete them and run again.',
      ].join('\n'),
    );
  }
}

function manualText(entry: string, reason: string): string {
  const { importLine, startLines, stopLine } = wiringLines(entry);
  return [
    `Not wired automatically: ${reason}.`,
    `Add these lines to your entry point (paths as seen from ${entry}):`,
    '',
    `  ${importLine}`,
    ...startLines.map((line) => (line ? `  ${line}` : '')),
    '',
    "and in the service's shutdown, before it exits:",
    `  ${stopLine}`,
  ].join('\n');
}

/** Registers both generators and the custom action types on a plop instance. */
export function registerGenerators(plop: NodePlopAPI): void {
  plop.setActionType(WRITE_NEW_FILE, writeNewFileAction);
  plop.setActionType(INSTALL, installAction);
  plop.setActionType(WRITE_FILE, writeFileAction);

  plop.setGenerator(SERVICE_GENERATOR, {
    description: 'A new Kafka consumer service (retries, DLQ, graceful drain), installed and tested',
    prompts: (inquirer) => promptForMissing(inquirer as unknown as PromptApi, {}, SERVICE_FIELDS),
    actions: (data) => {
      const run = (data ?? {}) as RunData;
      const answers = resolveAnswers(run, { useDefaults: true });
      assertFreshTarget(plop.getDestBasePath(), answers.dir);
      return serviceActions(answers, Boolean(run.dryRun), run.report, run.given) as never;
    },
  });

  // Listed for `pnpm plop` without a name; the CLI runs it itself (src/upgrade/run.ts), not as actions.
  plop.setGenerator(UPGRADE_GENERATOR, {
    description: "Merge today's templates into a generated service (--dir): edits kept, conflicts marked",
    prompts: [],
    actions: [],
  });

  plop.setGenerator(ADD_GENERATOR, {
    description: 'Add a Kafka consumer to an existing TypeScript service folder (--dir)',
    prompts: (inquirer) => promptForMissing(inquirer as unknown as PromptApi, {}, ADD_FIELDS),
    actions: (data) => {
      const run = (data ?? {}) as RunData;
      const answers = resolveAnswers(run, { useDefaults: true });
      const plan = addPlan(plop.getDestBasePath(), answers, Boolean(run.dryRun), run.report);
      if (plan.manual) run.report.record({ kind: 'manual', detail: plan.manual });
      return plan.actions as never;
    },
  });
}
