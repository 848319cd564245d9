import {
  type Answers,
  checkField,
  FIELD_ORDER,
  FIELDS,
  type FieldKey,
  fieldApplies,
  type RawAnswers,
} from './schema.js';

/** The slice of inquirer (plop's own, `plop.inquirer`) the prompts use. */
export interface PromptApi {
  prompt(questions: unknown[]): Promise<Record<string, unknown>>;
}

function display(value: unknown): string {
  return Array.isArray(value) ? value.join(',') : value === null ? 'none' : String(value);
}

/**
 * Inquirer questions derived from the schema, for the fields in `keys` that `preset` does not
 * already answer. Validation is the schema's own `checkField`, so messages match the flags'.
 */
export function buildQuestions(preset: RawAnswers, keys: readonly FieldKey[] = FIELD_ORDER): unknown[] {
  const parsed = (answers: Record<string, unknown>): Partial<Answers> => {
    const out: Partial<Answers> = {};
    for (const key of FIELD_ORDER) {
      const raw = preset[key] ?? answers[key];
      if (raw === undefined) continue;
      const result = checkField(key, raw, out);
      if (result.ok) (out as Record<string, unknown>)[key] = result.value;
    }
    return out;
  };
  const questions: unknown[] = [];
  for (const key of keys) {
    const field = FIELDS[key];
    if (!field.prompt || preset[key] !== undefined) continue;
    const base = {
      name: key,
      message: field.message,
      // A share group is not asked for a commit strategy, an ordering or from-beginning.
      when: (answers: Record<string, unknown>) => fieldApplies(key, parsed(answers)),
      default: field.default
        ? (answers: Record<string, unknown>) => display(field.default?.(parsed(answers) as Answers))
        : undefined,
      validate: (input: unknown, answers: Record<string, unknown> = {}) => {
        const result = checkField(key, input, parsed(answers));
        return result.ok ? true : result.message;
      },
    };
    if (field.kind === 'list') {
      questions.push({
        ...base,
        type: 'list',
        choices: Object.entries(field.choices ?? {}).map(([value, line]) => ({
          name: `${value.padEnd(12)} ${line}`,
          value,
          short: value,
        })),
      });
    } else if (field.kind === 'confirm') {
      questions.push({
        ...base,
        type: 'confirm',
        default: field.default ? Boolean(field.default({} as Answers)) : undefined,
      });
    } else {
      questions.push({ ...base, type: 'input' });
    }
  }
  return questions;
}

/** Asks what `preset` leaves open; returns the raw answers merged over the preset. */
export async function promptForMissing(
  api: PromptApi,
  preset: RawAnswers,
  keys?: readonly FieldKey[],
): Promise<RawAnswers> {
  const answers = await api.prompt(buildQuestions(preset, keys));
  return { ...answers, ...preset } as RawAnswers;
}
