import { describe, expect, it } from 'vitest';
import { EXIT_CODES, noopLogger, type ShutdownReport } from '../../src/index.js';
import { installSignalHandlers } from '../../src/shutdown.js';

const report = (drained: boolean): ShutdownReport => ({ drained, abandoned: drained ? 0 : 1, durationMs: 1 });

function run(result: Promise<ShutdownReport>, exitProcess = true) {
  const exits: number[] = [];
  let stops = 0;
  const uninstall = installSignalHandlers({
    signals: ['SIGUSR2'],
    exitProcess,
    logger: noopLogger,
    stop: () => {
      stops++;
      return result;
    },
    exit: (code) => void exits.push(code),
  });
  return { exits, stops: () => stops, uninstall };
}

describe('signal handling', () => {
  it('exports distinct exit codes', () => {
    expect(EXIT_CODES).toEqual({ OK: 0, CRASH: 1, DRAIN_TIMEOUT: 70, FORCED: 130 });
  });

  it.each([
    ['drained', () => Promise.resolve(report(true)), EXIT_CODES.OK],
    ['drain timed out', () => Promise.resolve(report(false)), EXIT_CODES.DRAIN_TIMEOUT],
    ['shutdown failed', () => Promise.reject(new Error('boom')), EXIT_CODES.CRASH],
  ])('exits with the code matching the outcome: %s', async (_name, result, code) => {
    const r = run(result());
    process.emit('SIGUSR2', 'SIGUSR2');
    await new Promise((resolve) => setImmediate(resolve));
    r.uninstall();
    expect(r.stops()).toBe(1);
    expect(r.exits).toEqual([code]);
  });

  it('a second signal exits immediately with FORCED', () => {
    const r = run(new Promise(() => undefined));
    process.emit('SIGUSR2', 'SIGUSR2');
    process.emit('SIGUSR2', 'SIGUSR2');
    r.uninstall();
    expect(r.stops()).toBe(1);
    expect(r.exits).toEqual([EXIT_CODES.FORCED]);
  });

  it('does not exit when exitProcess is false', async () => {
    const r = run(Promise.resolve(report(true)), false);
    process.emit('SIGUSR2', 'SIGUSR2');
    await new Promise((resolve) => setImmediate(resolve));
    r.uninstall();
    expect(r.stops()).toBe(1);
    expect(r.exits).toEqual([]);
  });

  it('uninstall removes the handlers', () => {
    const before = process.listenerCount('SIGUSR2');
    const r = run(Promise.resolve(report(true)));
    expect(process.listenerCount('SIGUSR2')).toBe(before + 1);
    r.uninstall();
    expect(process.listenerCount('SIGUSR2')).toBe(before);
  });
});
