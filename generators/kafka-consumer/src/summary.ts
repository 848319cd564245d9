import { type ActionReport, describeResult } from './actions/report.js';
import type { CliIo } from './cli-io.js';
import { SERVICE_GENERATOR } from './generators.js';
import { shellWord } from './naming.js';
import type { Answers } from './schema.js';

/** What to do after a generator ran: the lines of "Next steps". Pure. */
export function nextSteps(generator: string, answers: Answers): string[] {
  const dir = shellWord(answers.dir);
  const topics = shellWord(answers.topics.join(','));
  const broker = `  pnpm kafka --topics ${topics}   # a local broker with the topics (another terminal)`;
  const lines = answers.install ? [] : ['  pnpm install'];
  if (generator === SERVICE_GENERATOR) {
    const inbox = answers.idempotency === 'postgres';
    return [
      ...lines,
      `  edit ${answers.dir}/src/handler.ts (the one function you implement)`,
      broker,
      ...(inbox
        ? [
            '  pnpm postgres                   # a local PostgreSQL on 127.0.0.1:5432 (another terminal)',
            `  pnpm --dir ${dir} build && pnpm --dir ${dir} migrate   # the inbox and effects tables`,
          ]
        : []),
      `  pnpm --dir ${dir} dev           # reads ${answers.dir}/.env (your answers)`,
      `  pnpm --dir ${dir} test          # unit + real-broker integration tests`,
      ...(inbox
        ? [`  pnpm --dir ${dir} test:faults   # SIGKILL x3 while producing: one effect row per message`]
        : []),
      `  pnpm deploy:service ${shellWord(answers.name)} <folder>   # then: node dist/main.js there`,
      `  pnpm plop kafka-consumer:upgrade -- --dir ${dir}   # later: today's template fixes, merged`,
    ];
  }
  return [
    ...lines,
    `  implement ${answers.dir}/src/kafka/handler.ts`,
    broker,
    '  start the service as usual; its KAFKA_* variables configure the consumer (src/kafka/config.ts)',
  ];
}

/** The run's summary: what was written (or would be), tests, install, lines to add by hand, next steps. */
export function summarise(
  io: CliIo,
  generator: string,
  answers: Answers,
  report: ActionReport,
  seconds: number,
) {
  const files = report.files();
  if (files.some((file) => file.kind === 'would-create' || file.kind === 'would-change')) {
    const planned = files.filter((file) => file.kind !== 'unchanged').length;
    io.out(`Dry run: nothing was written. ${planned} file(s) would be created or changed:`);
    for (const file of files) io.out(`  ${describeResult(file)}`);
    return;
  }
  const written = files.filter((file) => file.kind === 'created' || file.kind === 'changed');
  const unchanged = files.length - written.length;
  io.out('');
  io.out(
    `Done in ${seconds.toFixed(1)}s. ${written.length} file(s) written${unchanged > 0 ? `, ${unchanged} unchanged` : ''}:`,
  );
  for (const file of files) io.out(`  ${describeResult(file)}`);
  const tested = report.find('tested');
  if (tested) io.out(`Tests: ${tested.detail ?? 'passed'}`);
  const installed = report.find('typechecked') ?? report.find('installed');
  if (installed) io.out(`Install: ${describeResult(installed)}`);
  const manual = report.find('manual');
  if (manual?.detail) io.out(`\n${manual.detail}`);
  io.out('');
  io.out('Next steps:');
  for (const line of nextSteps(generator, answers)) io.out(line);
}
