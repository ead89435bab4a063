import fs from 'node:fs';
import path from 'node:path';
import { roundupSchema } from '../domain/meetup';
import { check, describeProblems } from '../domain/validate';
import { renderPost, TemplateError } from '../render/render-post';
import { type CliIo, EXIT } from './run-cli';

export interface RenderOptions {
  file: string;
  template?: string;
  out?: string;
}

/** `roundup render`: read a meetup JSON file, check it, and write or print the post. */
export async function renderCommand(options: RenderOptions, io: CliIo): Promise<number> {
  const file = path.resolve(io.cwd, options.file);
  const fail = (message: string) => {
    io.stderr.write(`roundup render: ${message}\n`);
    return EXIT.invalidInput;
  };

  let source: string;
  try {
    source = await fs.promises.readFile(file, 'utf8');
  } catch (err) {
    return fail(`cannot read ${options.file}: ${readError(err as NodeJS.ErrnoException)}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(source);
  } catch (err) {
    return fail(`${options.file} is not valid JSON: ${jsonErrorWhere(source, err as Error)}`);
  }
  const checked = check(roundupSchema, data);
  if (!checked.ok) {
    const n = checked.problems.length;
    return fail(
      `${options.file} has ${n} problem${n === 1 ? '' : 's'}:\n${indent(describeProblems(checked.problems))}`,
    );
  }

  let post: ReturnType<typeof renderPost>;
  try {
    const template =
      options.template === undefined
        ? groupTemplate(checked.value.group.template, path.dirname(file))
        : resolveTemplate(options.template, io.cwd);
    post = renderPost(checked.value, template);
  } catch (err) {
    if (err instanceof TemplateError) return fail(err.message);
    throw err;
  }
  for (const what of post.missingPhotos) {
    io.stderr.write(
      `roundup render: warning: ${what} was uploaded in Slack but is not stored, so the post leaves it out\n`,
    );
  }

  if (options.out === undefined) {
    io.stdout.write(post.content);
    if (post.images.length > 0) {
      io.stderr.write(
        `roundup render: ${post.images.length} stored photo(s) are shipped only with --out <dir>\n`,
      );
    }
    return EXIT.ok;
  }

  // Check every stored photo before writing anything, so a bad input leaves no half-written site.
  const base = path.dirname(file);
  const copies = post.images.map((img) => ({ from: path.resolve(base, img.storedFile), to: img.sitePath }));
  const missing = copies.filter((c) => !fs.existsSync(c.from));
  if (missing.length > 0) {
    return fail(
      `stored photo files are missing (paths are relative to the JSON file):\n${indent(missing.map((m) => m.from).join('\n'))}`,
    );
  }
  const out = path.resolve(io.cwd, options.out);
  const postPath = path.join(out, post.path);
  await fs.promises.mkdir(path.dirname(postPath), { recursive: true });
  await fs.promises.writeFile(postPath, post.content);
  for (const c of copies) {
    const to = path.join(out, c.to);
    await fs.promises.mkdir(path.dirname(to), { recursive: true });
    await fs.promises.copyFile(c.from, to);
  }
  io.stdout.write(`wrote ${path.relative(io.cwd, postPath) || postPath}\n`);
  for (const c of copies) io.stdout.write(`wrote ${path.relative(io.cwd, path.join(out, c.to))}\n`);
  return EXIT.ok;
}

function readError(err: NodeJS.ErrnoException): string {
  const reasons: Record<string, string> = {
    ENOENT: 'there is no such file',
    EISDIR: 'it is a folder, not a file',
    EACCES: 'permission denied',
  };
  return reasons[err.code ?? ''] ?? err.message;
}

/**
 * The group's own template file is read relative to the JSON file when it is there (as `roundup import`
 * writes it), else as given.
 */
function groupTemplate(template: string, base: string): string | undefined {
  if (template === 'classic' || template === 'modern' || path.isAbsolute(template)) return undefined;
  const beside = path.resolve(base, template);
  return fs.existsSync(beside) ? beside : undefined;
}

function resolveTemplate(template: string, cwd: string): string {
  return template === 'classic' || template === 'modern' ? template : path.resolve(cwd, template);
}

/** "Unexpected token } in JSON at position 120" -> the same, with the line and column. */
function jsonErrorWhere(source: string, err: Error): string {
  const position = Number(err.message.match(/position (\d+)/)?.[1]);
  if (!Number.isFinite(position)) return err.message;
  const before = source.slice(0, position).split('\n');
  return `${err.message.replace(/ in JSON at position \d+.*$/, '')} at line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}
