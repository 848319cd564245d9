/** The one yes/no parser (prompts, flags given as text, CI=...): undefined when it is neither. */
export function parseYesNo(text: string): boolean | undefined {
  const value = text.trim().toLowerCase();
  if (['y', 'yes', 'true', '1'].includes(value)) return true;
  if (['n', 'no', 'false', '0'].includes(value)) return false;
  return undefined;
}
