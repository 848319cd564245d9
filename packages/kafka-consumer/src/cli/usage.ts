import type { Subcommand } from './args.js';

const CONNECTION = `Connection: the service's own variables (KAFKA_BROKERS, KAFKA_SSL*, KAFKA_SASL_*), or --brokers host:port,...`;
const EXIT = `Exit codes: 0 done, 1 error, 2 bad usage, 3 done but some records skipped.`;

export const USAGE: Record<'main' | Subcommand, string> = {
  main: `Usage: kafkakit dlq <command> <dlq-topic> [flags]

Commands:
  inspect <dlq-topic>   totals by source topic, error and partition, first/last failure (--json)
  show <dlq-topic>      records with decoded headers (--limit N, --offset [P:]O, --full)
  redrive <dlq-topic>   write dead letters back to their source topic (idempotent, resumable)

${CONNECTION}
${EXIT}
Run kafkakit dlq <command> --help for its flags.
`,
  inspect: `Usage: kafkakit dlq inspect <dlq-topic> [--json] [--brokers host:port]

Reads the whole DLQ (commits nothing) and prints totals by source topic, by error name and code,
and by DLQ partition, each with its first and last failure time.
${CONNECTION}
`,
  show: `Usage: kafkakit dlq show <dlq-topic> [--limit N] [--offset O | --offset P:O ...] [--full]

Prints records with their headers decoded; values and headers as text when they are UTF-8, hex
otherwise; long ones truncated unless --full. --limit defaults to 20. --offset O starts every
partition at O; --offset P:O (repeatable) shows only those partitions from those offsets.
${CONNECTION}
`,
  redrive: `Usage: kafkakit dlq redrive <dlq-topic> [flags]

Writes the selected dead letters back to their source topic (x-dlq-source-topic, the partition
they came from) with their key, value and original headers, plus x-redrive-count, x-redrive-at
and x-redrive-origin. Progress is a consumer group of its own on the DLQ (one per selection),
committed only after the write is acknowledged: running it again writes nothing again, and a run
killed at any point resumes where it stopped, writing nothing twice.

  --to <topic>              write every record to this topic instead (key-partitioned)
  --error <name>            only this x-dlq-error-name (repeatable)
  --since <time>            only failures at or after this ISO-8601 time
  --until <time>            only failures before this ISO-8601 time
  --source-partition <n>    only records from this source partition (repeatable)
  --limit <n>               write at most n records in this run (the next run goes on)
  --rate <n>                at most n records a second
  --max-redrives <n>        skip records already redriven n times (default 3)
  --dry-run                 print what would be written; write and commit nothing
  --group <id>              keep the progress in this group instead of kafkakit-redrive.<dlq>[.<hash>]

Refused: the DLQ itself or a retry-tier topic as target.
${CONNECTION}
${EXIT}
`,
};
