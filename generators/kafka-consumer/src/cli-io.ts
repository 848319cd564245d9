import { parseYesNo } from './yes-no.js';

/** Where the CLI writes, and whether it may prompt. */
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  interactive: boolean;
}

/** CI=true, CI=1, or any other non-empty value than a "no" (some CI systems set CI to their name). */
export function isCi(value: string | undefined): boolean {
  return value !== undefined && value.trim() !== '' && parseYesNo(value) !== false;
}

export const defaultIo = (): CliIo => ({
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY) && !isCi(process.env.CI),
});
