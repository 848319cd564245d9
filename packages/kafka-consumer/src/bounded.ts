import { ClientError } from './errors.js';

/** `promise`, or a retriable ClientError once `ms` passed (the promise is then left to settle alone). */
export function bounded<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ClientError(`${what} did not finish within ${ms} ms`, { retriable: true })),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
