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
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  const problems = result.error.issues.map((issue) => ({
    path: formatPath(issue.path),
    message: plainMessage(issue),
  }));
  return { ok: false, problems };
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
