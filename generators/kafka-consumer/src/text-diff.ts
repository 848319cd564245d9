import { createTwoFilesPatch } from 'diff';

/**
 * A unified diff of one file (jsdiff: a real line diff, in order, with context), as `git diff`
 * prints it: `--- a/<path>` is `before`, `+++ b/<path>` is `after`. Empty when they are equal.
 */
export function unifiedDiff(path: string, before: string, after: string, context = 2): string {
  if (before === after) return '';
  return createTwoFilesPatch(`a/${path}`, `b/${path}`, before, after, undefined, undefined, { context })
    .split('\n')
    .filter((line) => !line.startsWith('====='))
    .join('\n')
    .trimEnd();
}
