import fs from 'node:fs';
import path from 'node:path';
import { Liquid } from 'liquidjs';
import { type Roundup, TEMPLATE_NAMES } from '../domain/meetup';
import { yamlString } from './markdown';
import { type PostImage, planPost } from './post-view';

/**
 * The built-in templates live in the package's `templates/` folder. The package root is found by walking up
 * to its package.json, so this holds whether the code runs from `src/`, `dist/` or another build folder.
 */
export const TEMPLATES_DIR = path.join(packageRoot(__dirname), 'templates');

function packageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'templates')))
      return dir;
    if (path.dirname(dir) === dir) return path.resolve(from, '..', '..');
  }
}

export interface RenderedPost {
  /** `_posts/YYYY-MM-DD-<slug>.md` */
  path: string;
  content: string;
  /** Stored photos to ship with the post, each with the path it must have in the site. */
  images: PostImage[];
  /** Photos that could not be placed (uploaded in Slack, not stored yet). */
  missingPhotos: string[];
}

export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

const engine = new Liquid({
  root: TEMPLATES_DIR,
  extname: '.liquid',
  strictFilters: true,
  // Values are Markdown already escaped by planPost; the template must not escape them again.
  outputEscape: undefined,
});
engine.registerFilter('yaml', (value: unknown) => yamlString(String(value ?? '')));

const parsedBuiltIns = new Map<string, ReturnType<Liquid['parse']>>();

/**
 * Render a meetup as a Jekyll post. `template` is `classic` (the default), `modern`, or the path of a
 * Liquid template file of the group's own.
 */
export function renderPost(roundup: Roundup, template: string = roundup.group.template): RenderedPost {
  const plan = planPost(roundup);
  const raw = engine.renderSync(loadTemplate(template), plan.view) as string;
  return { path: plan.path, content: tidy(raw), images: plan.images, missingPhotos: plan.missingPhotos };
}

function loadTemplate(template: string): ReturnType<Liquid['parse']> {
  const builtIn = (TEMPLATE_NAMES as readonly string[]).includes(template);
  const cached = parsedBuiltIns.get(template);
  if (builtIn && cached) return cached;
  const file = builtIn ? path.join(TEMPLATES_DIR, `${template}.liquid`) : path.resolve(template);
  let source: string;
  try {
    source = fs.readFileSync(file, 'utf8');
  } catch {
    throw new TemplateError(
      `template "${template}" is neither classic nor modern, and no file can be read at ${file}`,
    );
  }
  try {
    const parsed = engine.parse(source, file);
    if (builtIn) parsedBuiltIns.set(template, parsed);
    return parsed;
  } catch (err) {
    throw new TemplateError(`template ${file} does not parse: ${(err as Error).message}`);
  }
}

/**
 * Templates write each part on its own lines and leave blank lines where optional parts drop out; the
 * post keeps one blank line between blocks, no trailing spaces, and ends with one newline.
 */
function tidy(text: string): string {
  return `${text
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;
}
