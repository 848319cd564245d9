/** Keyed datasets (src/keyed-seed.ts): a hot-key message's value starts with 'H', the others with 'x'. */
export const HOT = 0x48;
/** The key of the hot messages. */
export const HOT_KEY = 'hot';

/** Key of the index-th message spread over `keys` distinct keys: 'k000' ... 'k999'. */
export const spreadKey = (index: number, keys: number): string =>
  `k${(index % keys).toString().padStart(3, '0')}`;
