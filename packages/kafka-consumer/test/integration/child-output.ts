import type { ChildProcess } from 'node:child_process';

/** Collects a child process's stdout as lines (as they arrive) and its stderr as text. */
export function childOutput(child: ChildProcess): { lines: string[]; stderr: () => string } {
  const lines: string[] = [];
  let buffer = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    lines.push(...parts);
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return { lines, stderr: () => stderr };
}
