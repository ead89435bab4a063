import type { SiteImport } from './import-site';

/** `report.md`: the count, each post's template and first difference, what was left, the roster, the style. */
export function importReport(site: SiteImport, siteName: string): string {
  const read = site.posts.filter((p) => p.roundup);
  const same = site.posts.filter((p) => p.reproduced);
  const out: string[] = [
    `# Import of ${siteName}`,
    '',
    `${same.length} of ${site.posts.length} posts reproduced: \`roundup render\` of each one's JSON gives the same page (the same front-matter values, and the same HTML once whitespace is normalised).`,
  ];
  if (read.length < site.posts.length) out.push('', `${site.posts.length - read.length} could not be read.`);
  out.push('', '## Posts', '', '| post | template | reproduced |', '| --- | --- | --- |');
  for (const p of site.posts) {
    out.push(
      `| ${p.file} | ${p.template ? templateName(p.template, site) : '-'} | ${p.reproduced ? 'yes' : p.error ? 'not read' : 'no'} |`,
    );
  }
  for (const p of site.posts) {
    if (p.reproduced && p.notes.length === 0) continue;
    out.push('', `### ${p.file}`, '');
    if (p.error) out.push(`Not read: ${p.error}`);
    if (p.difference) out.push(`First difference: ${p.difference}`);
    if (p.notes.length > 0) {
      out.push('', 'Left out or guessed:', '');
      for (const n of p.notes) out.push(`- ${n}`);
    }
  }
  if (site.skipped.length > 0) {
    out.push('', '## Not read', '');
    for (const s of site.skipped) out.push(`- ${s}`);
  }
  const s = site.style;
  out.push(
    '',
    '## House style (from the latest post)',
    '',
    `- template: ${site.ownTemplate ? "the site's own _roundup/post.liquid where it reproduces, else " : ''}${templateName(site.group.template, site)}`,
    `- front matter, in order: ${s.frontMatter.join(', ') || '(none)'}`,
    `- header photo: ${s.headerPhoto === 'front' ? 'in the front matter only (image:)' : s.headerPhoto === 'both' ? 'in the front matter and the body' : 'in the body'}`,
    `- photo names: ${s.imageName ? `${s.imageName}.jpeg for the header, then -1, -2 ... ({post} is the post's file name)` : 'no rule found'}`,
    `- title: ${s.title ?? '(no pattern found)'}`,
    `- description: ${s.description ?? '(no pattern found)'}`,
    `- post file name: ${s.postName ? `YYYY-MM-DD-${s.postName} (slugified)` : '(no pattern found)'}`,
  );
  const r = site.roster;
  const posts = (p: string[]) => p.map((f) => f.replace(/^_posts\//, '').slice(0, 10)).join(', ');
  out.push('', '## Roster', '', `### Sponsors (${r.sponsors.length})`, '');
  for (const x of r.sponsors) out.push(`- ${x.name}${x.url ? ` (${x.url})` : ''}: ${posts(x.posts)}`);
  out.push('', `### Venues (${r.venues.length})`, '');
  for (const x of r.venues) out.push(`- ${x.name}${x.url ? ` (${x.url})` : ''}: ${posts(x.posts)}`);
  out.push('', `### Hosts (${r.hosts.length})`, '');
  for (const x of r.hosts)
    out.push(
      `- ${x.name}${x.role ? `, ${x.role}` : ''}${x.from ? ` from ${x.from}` : ''}: ${posts(x.posts)}`,
    );
  out.push('', `### Speakers (${r.speakers.length})`, '');
  for (const x of r.speakers) out.push(`- ${x.name}${x.company ? ` (${x.company})` : ''}: ${posts(x.posts)}`);
  return `${out.join('\n')}\n`;
}

function templateName(template: string, site: SiteImport): string {
  return template === site.ownTemplate ? '_roundup/post.liquid' : template;
}
