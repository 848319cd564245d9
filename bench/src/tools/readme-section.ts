// Usage: tsx src/tools/readme-section.ts <bench/results/bench-<time>.md> [README path]
// Replaces the `## Performance` section at the end of the root README.md (or appends it) with the
// report of one bench run. Only that section is touched.
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [reportPath, readmeArg] = process.argv.slice(2);
if (!reportPath) throw new Error('usage: readme-section <bench/results/bench-<time>.md> [README path]');
const readmePath = readmeArg ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'README.md');
const report = readFileSync(reportPath, 'utf8').trim();
const section = [
  '## Performance',
  '',
  '`pnpm bench` ([bench/README.md](bench/README.md)) on one real broker: the runtime against raw KafkaJS,',
  "`@platformatic/kafka` and Apache Kafka's own `ConsumerPerformance` (the ceiling). Medians of 5 (no-op) or 3 (1 ms) alternating",
  'rounds with min–max; ratios are against raw KafkaJS in the same run and workload. Findings and proposed',
  `fixes: [bench/FINDINGS.md](bench/FINDINGS.md). JSON: \`bench/results/${basename(reportPath, '.md')}.json\`.`,
  '',
  report.replace(/^### /gm, '#### '),
  '',
].join('\n');
const readme = readFileSync(readmePath, 'utf8');
const at = readme.search(/^## Performance\s*$/m);
const next = at < 0 ? -1 : readme.slice(at + 1).search(/^## /m);
if (at >= 0 && next >= 0)
  throw new Error('## Performance is not the last section of README.md; move it to the end first');
const updated = at < 0 ? `${readme.trimEnd()}\n\n${section}` : `${readme.slice(0, at)}${section}`;
writeFileSync(readmePath, updated);
process.stdout.write(`README.md: ## Performance from ${reportPath}\n`);
