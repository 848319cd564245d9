// Repro of the runtime's per-message leak: `node --expose-gc race-leak.mjs race|listener|plain`.
// Promise.race([result, deadlineReached]) attaches a reaction to the long-lived, still-pending
// `deadlineReached` on every call; nothing detaches it, so each processed message stays reachable.
const heapMb = () => (process.memoryUsage().heapUsed / 1048576).toFixed(1);
const deadline = new AbortController();
const deadlineReached = new Promise((_, reject) => {
  deadline.signal.addEventListener('abort', () => reject(deadline.signal.reason), { once: true });
});
deadlineReached.catch(() => undefined);

function untilSettledOrAborted(result, signal) {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    result.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

const mode = process.argv[2] ?? 'race';
const messages = 200_000;
globalThis.gc();
process.stdout.write(`start: heap ${heapMb()} MB\n`);
const started = performance.now();
for (let i = 0; i < messages; i++) {
  const result = Promise.resolve();
  if (mode === 'race') await Promise.race([result, deadlineReached]);
  else if (mode === 'listener') await untilSettledOrAborted(result, deadline.signal);
  else await result;
}
const usPerMessage = ((performance.now() - started) * 1000) / messages;
globalThis.gc();
process.stdout.write(
  `${mode}: ${messages} messages, heap after GC ${heapMb()} MB, ${usPerMessage.toFixed(2)} µs/message\n`,
);
