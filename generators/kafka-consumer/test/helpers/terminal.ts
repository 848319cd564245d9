import { spawn } from 'node:child_process';
import { REPO_ROOT } from './golden.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: strips terminal escape sequences
const plain = (text: string) => text.replace(/\u001b\[[0-9;?]*[a-zA-Z]/g, '').replace(/\r/g, '');

/** A command running in a real pseudo-terminal (util-linux `script` allocates it), driven like a user would. */
export class Terminal {
  screen = '';
  #cursor = 0;
  readonly exited: Promise<number | null>;
  readonly #child;

  constructor(command: string, extraEnv: NodeJS.ProcessEnv = {}, cwd = REPO_ROOT) {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      TERM: 'xterm-256color',
      COLUMNS: '120',
      LINES: '40',
      ...extraEnv,
    };
    delete env.CI;
    this.#child = spawn('script', ['-qfec', command, '/dev/null'], { cwd, env, stdio: 'pipe' });
    this.#child.stdout.on('data', (chunk: Buffer) => {
      this.screen += plain(chunk.toString());
    });
    this.#child.stderr.on('data', (chunk: Buffer) => {
      this.screen += plain(chunk.toString());
    });
    this.exited = new Promise((resolve) => this.#child.once('exit', (code) => resolve(code)));
  }

  /** Waits until `pattern` shows up after everything already matched. */
  async expect(pattern: RegExp, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const rest = this.screen.slice(this.#cursor);
      const match = pattern.exec(rest);
      if (match) {
        this.#cursor += match.index + match[0].length;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`terminal never showed ${pattern}; screen:\n${this.screen}`);
  }

  type(keys: string): void {
    this.#child.stdin.write(keys);
  }

  kill(): void {
    this.#child.kill('SIGKILL');
  }
}

export const ENTER = '\r';
export const DOWN = '\u001b[B';
