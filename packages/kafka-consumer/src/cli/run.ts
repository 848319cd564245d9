import { KafkaConsumerError, toError } from '../errors.js';
import { type Command, parseCommand } from './args.js';
import { connectionFromEnv } from './connection.js';
import type { CliContext } from './context.js';
import { inspect } from './inspect.js';
import { connectAdmin, createKafka } from './kafka.js';
import { redrive } from './redrive.js';
import { show } from './show.js';
import { USAGE } from './usage.js';
import { CLI_EXIT, UsageError } from './usage-error.js';

export interface CliIo {
  env: Record<string, string | undefined>;
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream & { isTTY?: boolean };
  signal: AbortSignal;
}

/** Runs `kafkakit <argv>` and returns its exit code; every failure is one line on stderr. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let command: Command;
  try {
    command = parseCommand(argv);
  } catch (error) {
    return fail(io, error);
  }
  if (command.kind === 'help') {
    io.out.write(USAGE[command.text]);
    return CLI_EXIT.done;
  }
  let ctx: CliContext | undefined;
  try {
    const kafka = createKafka(connectionFromEnv(io.env, { brokers: command.brokers }));
    ctx = { kafka, admin: await connectAdmin(kafka), out: io.out, err: io.err, signal: io.signal };
    if (command.kind === 'inspect') return await inspect(command, ctx);
    if (command.kind === 'show') return await show(command, ctx);
    return await redrive(command, ctx);
  } catch (error) {
    return fail(io, error);
  } finally {
    await ctx?.admin.disconnect().catch(() => undefined);
  }
}

function fail(io: CliIo, error: unknown): number {
  if (error instanceof UsageError) {
    io.err.write(`kafkakit: ${error.message}\n`);
    return CLI_EXIT.usage;
  }
  const e = toError(error);
  const cause =
    e.cause instanceof Error && !e.message.includes(e.cause.message) ? ` (${e.cause.message})` : '';
  io.err.write(
    `kafkakit: error: ${e.message}${cause}${e instanceof KafkaConsumerError ? '' : ` [${e.name}]`}\n`,
  );
  if (io.env.KAFKAKIT_DEBUG !== undefined) io.err.write(`${e.stack}\ncause: ${toError(e.cause).stack}\n`);
  return CLI_EXIT.error;
}
