import type {} from '@kafkakit/kafka-testkit/vitest-setup';
import { expect } from 'vitest';
import { passed, type ScenarioResult } from '../../src/result.js';
import { formatTable } from '../../src/table.js';

/** Fails with every unmet criterion (and the row of the table) spelled out. */
export function expectPass(result: ScenarioResult): void {
  const failed = result.criteria.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`);
  if (result.error !== undefined) failed.unshift(`error: ${result.error}`);
  expect(failed, formatTable([result])).toEqual([]);
  expect(passed(result)).toBe(true);
}
