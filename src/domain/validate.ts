import type { z } from 'zod';

/** One thing wrong with an input, at a path such as `meetup.talks[0].speakers[1].name`. */
export interface Problem {
  path: string;
  message: string;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

/** Check `input` against `schema`, turning each issue into a sentence that names the field. */
export function check<S extends z.ZodType>(schema: S, input: unknown): Checked<z.output<S>> {
  // The input is reported so that a value of the wrong type is told apart from one that is missing.
  const result = schema.safeParse(input, { reportInput: true, error: plainDefault });
  if (result.success) return { ok: true, value: result.data };
  const problems = result.error.issues.map((issue) => ({
    path: formatPath(issue.path),
    message: plainMessage(issue),
  }));
  return { ok: false, problems };
}

const TYPE_WORDS: Record<string, string> = {
  object: 'must be an object, in { }',
  array: 'must be a list, in [ ]',
  string: 'must be text',
  number: 'must be a number',
  int: 'must be a whole number',
  boolean: 'must be true or false',
};

/** Plain words where a field of the model says nothing of its own (its own message wins over these). */
function plainDefault(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code === 'invalid_type') return TYPE_WORDS[issue.expected];
  return undefined;
}

function plainMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'is missing';
  if (issue.code === 'unrecognized_keys') {
    return `has ${issue.keys.length === 1 ? 'a field' : 'fields'} it does not know: ${issue.keys.join(', ')}`;
  }
  return issue.message;
}

export function describeProblems(problems: readonly Problem[]): string {
  return problems.map((p) => `${p.path || '(top level)'}: ${p.message}`).join('\n');
}
