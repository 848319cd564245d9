import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import type { LedgerEntry } from './types.js';

export interface LedgerWriter {
  append(entry: LedgerEntry): void;
  close(): void;
}

/**
 * Opens the ledger for appending. Each entry is one synchronous write(2) of one JSON line on an
 * O_APPEND descriptor: once `append` returns the line is in the kernel, so it survives SIGKILL, and
 * lines from several processes never interleave.
 */
export function openLedger(path: string): LedgerWriter {
  const fd = openSync(path, 'a');
  return {
    append: (entry) => {
      writeSync(fd, `${JSON.stringify(entry)}\n`);
    },
    close: () => closeSync(fd),
  };
}

/** Parses ledger text; a line that is not JSON is an error (the ledger is the evidence). */
export function parseLedger(text: string): LedgerEntry[] {
  const entries: LedgerEntry[] = [];
  const lines = text.split('\n');
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    try {
      entries.push(JSON.parse(line) as LedgerEntry);
    } catch (error) {
      throw new Error(`ledger line ${index + 1} is not JSON: ${line.slice(0, 120)}`, { cause: error });
    }
  }
  return entries;
}

export function readLedger(path: string): LedgerEntry[] {
  return existsSync(path) ? parseLedger(readFileSync(path, 'utf8')) : [];
}
