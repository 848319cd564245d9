// Usage: tsx src/tools/cpuprofile-top.ts <file.cpuprofile> [top=25]
// Prints the functions with the most self time, mapped through the bundle's source maps to
// original file:line, plus the hottest source lines (from the profile's position ticks).
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  hitCount?: number;
  positionTicks?: Array<{ line: number; ticks: number }>;
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
}

const maps = new Map<string, SourceMap | undefined>();
function mapFor(url: string): SourceMap | undefined {
  if (!maps.has(url)) {
    let map: SourceMap | undefined;
    if (url.startsWith('file://')) {
      const path = `${fileURLToPath(url)}.map`;
      if (existsSync(path)) map = new SourceMap(JSON.parse(readFileSync(path, 'utf8')));
    }
    maps.set(url, map);
  }
  return maps.get(url);
}

/** `file:line` in the original source for a 0-based line/column of `url`. */
function where(url: string, line: number, column: number): string {
  const map = mapFor(url);
  const entry = map?.findEntry(line, column) as
    | { originalSource?: string; originalLine?: number }
    | undefined;
  if (entry?.originalSource) {
    const source = entry.originalSource.replace(/^.*?\/(packages|bench|node_modules)\//, '$1/');
    return `${source}:${(entry.originalLine ?? 0) + 1}`;
  }
  const short = url.replace(/^.*node_modules\/\.pnpm\/[^/]+\/node_modules\//, '');
  return `${short || '(native)'}:${line + 1}`;
}

const [file, topArg] = process.argv.slice(2);
if (!file) throw new Error('usage: cpuprofile-top <file.cpuprofile> [top]');
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const total = profile.samples.length;
const byFunction = new Map<string, number>();
const byLine = new Map<string, number>();
for (const node of profile.nodes) {
  const hits = node.hitCount ?? 0;
  if (hits === 0) continue;
  const { functionName, url, lineNumber, columnNumber } = node.callFrame;
  const name = `${functionName || '(anonymous)'} ${where(url, lineNumber, columnNumber)}`;
  byFunction.set(name, (byFunction.get(name) ?? 0) + hits);
  for (const tick of node.positionTicks ?? []) {
    const line = where(url, tick.line - 1, 0);
    byLine.set(line, (byLine.get(line) ?? 0) + tick.ticks);
  }
}
const pct = (n: number) => `${((100 * n) / total).toFixed(1).padStart(5)}%`;
const seconds = (profile.endTime - profile.startTime) / 1e6;
process.stdout.write(`${file}: ${total} samples over ${seconds.toFixed(2)} s\n\nself time by function:\n`);
for (const [name, hits] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  process.stdout.write(`${pct(hits)}  ${name}\n`);
}
process.stdout.write('\nhottest lines:\n');
for (const [line, hits] of [...byLine].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  process.stdout.write(`${pct(hits)}  ${line}\n`);
}
