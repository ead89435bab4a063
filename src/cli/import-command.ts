import fs from 'node:fs';
import path from 'node:path';
import { TEMPLATE_NAMES } from '../domain/meetup';
import { importOne, importSite, OWN_TEMPLATE, SiteError } from '../import/import-site';
import { importReport } from '../import/report';
import { type CliIo, EXIT } from './run-cli';

export interface ImportOptions {
  site: string;
  out?: string;
}

/**
 * `roundup import <site-dir> [--out <dir>]`: every post of a Jekyll site read into a meetup JSON file,
 * each one proved by rendering it again; with the roster, the house style and `report.md`.
 */
export async function importCommand(options: ImportOptions, io: CliIo): Promise<number> {
  const siteDir = path.resolve(io.cwd, options.site);
  let site: ReturnType<typeof importSite>;
  try {
    site = importSite(siteDir);
  } catch (err) {
    if (err instanceof SiteError) {
      io.stderr.write(`roundup import: ${err.message.replace(siteDir, options.site)}\n`);
      return EXIT.invalidInput;
    }
    throw err;
  }
  for (const p of site.posts) if (p.error) io.stderr.write(`roundup import: ${p.error}\n`);
  const report = importReport(site, path.basename(siteDir));
  const reproduced = site.posts.filter((p) => p.reproduced).length;
  const summary = `${reproduced} of ${site.posts.length} posts reproduced`;

  if (options.out === undefined) {
    io.stdout.write(report);
  } else {
    const out = path.resolve(io.cwd, options.out);
    await fs.promises.mkdir(out, { recursive: true });
    const written: string[] = [];
    const write = async (name: string, content: string) => {
      await fs.promises.writeFile(path.join(out, name), content);
      written.push(name);
    };
    for (const p of site.posts) {
      if (!p.roundup) continue;
      const template = p.roundup.group.template;
      // A template of the site's own is named relative to the JSON file, which `roundup render` reads it by.
      const group = (TEMPLATE_NAMES as readonly string[]).includes(template)
        ? p.roundup.group
        : { ...p.roundup.group, template: path.relative(out, template) };
      await write(`${p.postName}.json`, `${JSON.stringify({ group, meetup: p.roundup.meetup }, null, 2)}\n`);
    }
    const group = site.ownTemplate
      ? { ...site.group, template: path.relative(out, path.join(siteDir, OWN_TEMPLATE)) }
      : site.group;
    await write('group.json', `${JSON.stringify(group, null, 2)}\n`);
    await write('roster.json', `${JSON.stringify(site.roster, null, 2)}\n`);
    await write('style.json', `${JSON.stringify(site.style, null, 2)}\n`);
    await write('report.md', report);
    io.stdout.write(
      `${summary}; wrote ${written.length} files in ${path.relative(io.cwd, out) || '.'} (see report.md)\n`,
    );
  }
  const clean = site.posts.every((p) => p.reproduced);
  if (!clean) io.stderr.write(`roundup import: ${summary}; report.md says what differs and why\n`);
  return clean ? EXIT.ok : EXIT.invalidInput;
}

/** `roundup render --check <post.md>`: the post imported, rendered again and compared with itself. */
export async function checkCommand(options: { file: string; template?: string }, io: CliIo): Promise<number> {
  const file = path.resolve(io.cwd, options.file);
  let text: string;
  try {
    text = await fs.promises.readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'there is no such file'
        : code === 'EISDIR'
          ? 'it is a folder, not a post'
          : (err as Error).message;
    io.stderr.write(`roundup render: cannot read ${options.file}: ${why}\n`);
    return EXIT.invalidInput;
  }
  // A post inside a site's _posts/ may be reproduced by the site's own template.
  const siteDir =
    path.basename(path.dirname(file)) === '_posts' ? path.dirname(path.dirname(file)) : undefined;
  const own =
    options.template && !(TEMPLATE_NAMES as readonly string[]).includes(options.template)
      ? path.resolve(io.cwd, options.template)
      : siteDir && fs.existsSync(path.join(siteDir, OWN_TEMPLATE))
        ? path.join(siteDir, OWN_TEMPLATE)
        : undefined;
  const result = importOne(options.file, text, { ownTemplate: own });
  for (const n of result.notes) io.stderr.write(`roundup render: note: ${n}\n`);
  if (result.error) {
    io.stderr.write(`roundup render: ${result.error}\n`);
    return EXIT.invalidInput;
  }
  const template = result.template === own && own ? path.relative(io.cwd, own) : result.template;
  if (result.reproduced) {
    io.stdout.write(`${options.file}: reproduced with the ${template} template\n`);
    return EXIT.ok;
  }
  io.stdout.write(
    `${options.file}: not reproduced (closest: the ${template} template): ${result.difference}\n`,
  );
  return EXIT.invalidInput;
}
