const decoder = new TextDecoder('utf-8', { fatal: true });
// Control characters other than tab and newline make a value binary for display.
// biome-ignore lint/suspicious/noControlCharactersInRegex: that is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;

/**
 * Bytes for a terminal: UTF-8 text (JSON-quoted, so newlines and escapes cannot move the cursor)
 * when they decode and hold no control characters, else hex. `limit` characters at most
 * (undefined = all), with what was cut said.
 */
export function renderBytes(value: Buffer | string | null | undefined, limit: number | undefined): string {
  if (value === null || value === undefined) return '(null)';
  const bytes = typeof value === 'string' ? Buffer.from(value) : value;
  let text: string | undefined;
  try {
    text = decoder.decode(bytes);
  } catch {
    text = undefined;
  }
  if (text !== undefined && !CONTROL.test(text)) {
    if (limit === undefined || text.length <= limit) return JSON.stringify(text);
    return `${JSON.stringify(text.slice(0, limit))}... (${text.length} chars, --full shows all)`;
  }
  const hex = bytes.toString('hex');
  if (limit === undefined || hex.length <= limit) return `hex ${hex}`;
  return `hex ${hex.slice(0, limit)}... (${bytes.length} bytes, --full shows all)`;
}
