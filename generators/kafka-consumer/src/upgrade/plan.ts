import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderSet, templateContext } from '../render.js';
import { type Answers, type FieldKey, type RawAnswers, resolveAnswers } from '../schema.js';
import { templatesFor } from './history.js';
import { type FileOutcome, hasConflictMarkers, mergeFile } from './merge.js';
import {
  GENERATOR_VERSION,
  type GeneratorRecord,
  RECORD_FILE,
  recordText,
  sha256,
  UpgradeError,
} from './record.js';

/** One file of an upgrade: where, what the service holds now, and what happens to it. */
export interface PlannedChange {
  path: string;
  ours: string | undefined;
  outcome: FileOutcome;
}

export interface UpgradePlan {
  from: string;
  to: string;
  answers: Answers;
  changes: PlannedChange[];
  /** The record after the upgrade, and whether it differs from the one in the service. */
  record: { text: string; changed: boolean };
}

const read = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : undefined);

/** The answers of today's render: those the user gave (recorded or now), the rest today's defaults. */
function nextAnswers(record: GeneratorRecord, changes: RawAnswers, dir: string) {
  const given = [...new Set([...record.given, ...Object.keys(changes)])] as FieldKey[];
  const raw: RawAnswers = {};
  for (const key of record.given) raw[key as FieldKey] = record.answers[key];
  Object.assign(raw, { dir, install: false });
  const answers = resolveAnswers({ ...raw, ...changes, dir, install: false }, { useDefaults: true });
  return { answers, given };
}

/**
 * Plans an upgrade of the service in `serviceDir` (workspace-relative `dir`) without writing: the
 * recorded version's templates with the recorded answers are the merge base, today's templates with
 * today's answers the other side, the service's files the user's side.
 */
export function planUpgrade(
  serviceDir: string,
  dir: string,
  record: GeneratorRecord,
  changes: RawAnswers,
): UpgradePlan {
  // Records before 0.2.0 have no groupType: every service was a consumer group then.
  const recorded = resolveAnswers(
    { groupType: 'consumer', ...record.answers, dir, install: false },
    { useDefaults: false },
  );
  const base = renderSet('service', templateContext(recorded), templatesFor(record.version));
  const { answers, given } = nextAnswers(record, changes, dir);
  const next = renderSet('service', templateContext(answers));
  const byPath = (files: typeof base) => new Map(files.map((file) => [file.path, file.content]));
  const [baseFiles, nextFiles] = [byPath(base), byPath(next)];
  const paths = [...new Set([...baseFiles.keys(), ...nextFiles.keys()])].sort();
  const dirty = paths.filter((path) => hasConflictMarkers(read(join(serviceDir, path)) ?? ''));
  if (dirty.length > 0) {
    throw new UpgradeError(
      `${dir} still has conflict markers from an earlier upgrade in ${dirty.join(', ')}: resolve them ` +
        '(keep what you want, delete the <<<<<<< ||||||| ======= >>>>>>> lines), then run it again',
    );
  }
  const labels = { ours: 'yours', base: `template ${record.version}`, next: `template ${GENERATOR_VERSION}` };
  const changesPlanned = paths.map((path) => {
    const ours = read(join(serviceDir, path));
    const untouched = ours !== undefined && record.files[path] === sha256(ours);
    const outcome = mergeFile(
      { base: baseFiles.get(path), next: nextFiles.get(path), ours, untouched },
      labels,
    );
    return { path, ours, outcome };
  });
  const text = recordText(answers, given, next);
  return {
    from: record.version,
    to: GENERATOR_VERSION,
    answers,
    changes: changesPlanned,
    record: { text, changed: read(join(serviceDir, RECORD_FILE)) !== text },
  };
}

/** True when applying the plan would change anything (what --check reports). */
export const isBehind = (plan: UpgradePlan): boolean =>
  plan.record.changed || plan.changes.some((change) => change.outcome.kind !== 'unchanged');
