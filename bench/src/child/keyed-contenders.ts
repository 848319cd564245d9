import type { ContenderId, KeyedContenderId } from '../types.js';

/** The ordering each keyed runtime contender runs with (no client code here: main.ts checks ids with it). */
export const KEYED_ORDERING: Record<KeyedContenderId, 'key' | 'unordered'> = {
  'runtime-key': 'key',
  'runtime-unordered': 'unordered',
  'runtime-key-buffer-all': 'key',
};

export const isKeyedContender = (contender: ContenderId): contender is KeyedContenderId =>
  Object.hasOwn(KEYED_ORDERING, contender);
