import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const benchRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * BENCH_RUNTIME_SRC=<dir>/src/index.ts benchmarks a candidate copy of the runtime (e.g. a proposed
 * fix kept outside the repository) in place of packages/kafka-consumer; its bare imports resolve
 * from the real package's node_modules.
 */
function candidateRuntime(): { alias?: Record<string, string>; nodePaths?: string[] } {
  const entry = process.env.BENCH_RUNTIME_SRC;
  if (!entry) return {};
  process.stdout.write(`benchmarking the runtime from ${entry}\n`);
  // The metrics contender imports the `/prometheus` subpath: the candidate's own when it has one,
  // else the real package's (an older copy predates it); unmapped, esbuild would look under index.ts/.
  const prometheus = join('observability', 'prometheus', 'index.ts');
  const candidateMetrics = join(dirname(entry), prometheus);
  const realMetrics = join(benchRoot, '..', 'packages', 'kafka-consumer', 'src', prometheus);
  return {
    alias: {
      '@kafkakit/kafka-consumer': entry,
      '@kafkakit/kafka-consumer/prometheus': existsSync(candidateMetrics) ? candidateMetrics : realMetrics,
    },
    nodePaths: [
      join(benchRoot, '..', 'packages', 'kafka-consumer', 'node_modules'),
      join(benchRoot, 'node_modules'),
    ],
  };
}

/**
 * Bundles the contender entry (and the workspace packages it imports, which ship TypeScript
 * sources) into one ES module, so contenders start as plain `node child.mjs`: no TypeScript loader
 * thread in their CPU time or peak RSS, as in a user's compiled service. Client libraries stay
 * external and load from bench/node_modules.
 */
export async function buildChild(): Promise<string> {
  const outDir = join(benchRoot, 'node_modules', '.kafkakit-bench');
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: { child: join(benchRoot, 'src', 'child', 'main.ts') },
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    sourcemap: 'linked',
    external: ['kafkajs', '@platformatic/kafka', 'prom-client'],
    // The workspace packages' sources (as tsx runs them), never a stale dist/.
    conditions: ['@kafkakit/source'],
    ...candidateRuntime(),
    logLevel: 'warning',
  });
  return join(outDir, 'child.mjs');
}
