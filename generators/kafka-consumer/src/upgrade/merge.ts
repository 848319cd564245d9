import { mergeDiff3 } from 'node-diff3';

/**
 * The three-way decision for one file of a service, pure: `base` is the file as the recorded
 * version renders it with the recorded answers, `next` as today's templates render it with today's
 * answers, `ours` what the service holds now (undefined: absent). Like Copier's update: an edit of
 * the user's survives, a template change reaches an untouched file, both on the same lines is a
 * conflict written with diff3 markers.
 */
export type FileOutcome =
  | { kind: 'unchanged' }
  | { kind: 'update'; content: string; why: 'untouched' | 'merged' | 'new' }
  | { kind: 'conflict'; content: string }
  | { kind: 'delete' }
  /** Left as it is although the template changed: the user deleted it, or edited a file the template dropped. */
  | { kind: 'kept'; why: string };

export interface FileVersions {
  base: string | undefined;
  next: string | undefined;
  ours: string | undefined;
  /** The hash recorded when it was rendered; equal to the hash of `ours` means never edited. */
  untouched: boolean;
}

export interface MergeLabels {
  ours: string;
  base: string;
  next: string;
}

const lines = (text: string) => text.split('\n');

export function mergeFile(file: FileVersions, labels: MergeLabels): FileOutcome {
  const { base, next, ours } = file;
  if (ours === next) return { kind: 'unchanged' };
  if (next === undefined) {
    if (ours === undefined) return { kind: 'unchanged' };
    return ours === base || file.untouched
      ? { kind: 'delete' }
      : { kind: 'kept', why: 'no longer in the templates, but edited: left in place' };
  }
  if (ours === undefined) {
    return base === undefined
      ? { kind: 'update', content: next, why: 'new' }
      : { kind: 'kept', why: 'deleted in the service: left deleted' };
  }
  if (ours === base || file.untouched) return { kind: 'update', content: next, why: 'untouched' };
  if (base === next) return { kind: 'unchanged' };
  const merged = mergeDiff3(lines(ours), lines(base ?? ''), lines(next), {
    label: { a: labels.ours, o: labels.base, b: labels.next },
  });
  const content = merged.result.join('\n');
  if (merged.conflict) return { kind: 'conflict', content };
  return content === ours ? { kind: 'unchanged' } : { kind: 'update', content, why: 'merged' };
}

/** A conflict left unresolved by an earlier run: a line that starts like a diff3 marker. */
export function hasConflictMarkers(text: string): boolean {
  return /^(<{7}|\|{7}|>{7}) /m.test(text) || /^={7}$/m.test(text);
}
