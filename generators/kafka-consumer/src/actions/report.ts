/**
 * What the actions did, as data: each action records one result here and returns the same thing as
 * a display line for plop. The CLI's summary reads these records (never plop's strings).
 */
export type ResultKind =
  | 'created'
  | 'changed'
  | 'unchanged'
  | 'would-create'
  | 'would-change'
  | 'installed'
  | 'typechecked'
  | 'tested'
  | 'manual';

export interface ActionResult {
  kind: ResultKind;
  /** Relative to the workspace root (file results). */
  path?: string;
  /** E.g. the test count ("5 passed (5)"), why a file was left, or the lines to add by hand. */
  detail?: string;
}

export const FILE_KINDS: readonly ResultKind[] = [
  'created',
  'changed',
  'unchanged',
  'would-create',
  'would-change',
];

const VERBS: Record<ResultKind, string> = {
  created: 'created',
  changed: 'changed',
  unchanged: 'unchanged',
  'would-create': 'would create',
  'would-change': 'would change',
  installed: 'installed',
  typechecked: 'installed and typechecked',
  tested: 'tests passed',
  manual: 'to add by hand',
};

/** The display line of a result, e.g. "created services/orders/src/main.ts". */
export function describeResult(result: ActionResult): string {
  const head = [VERBS[result.kind], result.path].filter(Boolean).join(' ');
  return result.detail ? `${head} (${result.detail})` : head;
}

/** Collects results for one generator run (passed to every action through its config). */
export class ActionReport {
  readonly results: ActionResult[] = [];

  record(result: ActionResult): string {
    this.results.push(result);
    return describeResult(result);
  }

  files(): ActionResult[] {
    return this.results.filter((result) => FILE_KINDS.includes(result.kind));
  }

  find(kind: ResultKind): ActionResult | undefined {
    return this.results.find((result) => result.kind === kind);
  }
}
