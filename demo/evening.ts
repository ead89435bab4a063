import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { unzipSync } from 'fflate';
import { roundupSchema } from '../src/domain/meetup';
import { TestBot } from '../test/support/bot';
import { playEvening } from '../test/support/organiser-evening';

/**
 * `npm run demo`: the bot and the project's fake Slack on this machine, and an organiser's evening for the
 * November 2018 Cloud Native London meetup played over HTTP (signed as Slack signs), step by step. No Slack
 * workspace needed. What the organisers would get in their channel is written to ./demo-output.
 */
async function main(): Promise<void> {
  const out = path.resolve('demo-output');
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  const folder = { dir: out, file: (name = 'roundup.db') => path.join(out, name), remove: () => undefined };
  const started = Date.now();
  const bot = await TestBot.start({ folder });
  const say = (line: string) => console.log(`  ${line}`);
  console.log(`roundup is listening at ${bot.url}; the fake Slack Web API at ${bot.slack.apiUrl}\n`);
  try {
    // The README's example: the same meetup `npx roundup render` turns into the post offline.
    const example = path.join(__dirname, '..', '..', 'examples', 'cloud-native-london-november-2018.json');
    const roundup = roundupSchema.parse(JSON.parse(fs.readFileSync(example, 'utf8')));
    const result = await playEvening(bot, roundup, {
      say: (step) => say(`→ ${step}`),
      groupPhoto: {
        name: 'group-photo.png',
        mimetype: 'image/png',
        bytes: samplePhoto(),
        alt: 'The audience at Entrepreneur First',
      },
    });

    const draftDir = path.join(out, 'draft');
    const siteDir = path.join(out, 'site');
    fs.mkdirSync(draftDir, { recursive: true });
    fs.writeFileSync(path.join(draftDir, result.markdown.filename), result.markdown.bytes);
    fs.writeFileSync(path.join(draftDir, result.zip.filename), result.zip.bytes);
    const entries = unzipSync(new Uint8Array(result.zip.bytes));
    for (const [name, bytes] of Object.entries(entries)) {
      fs.mkdirSync(path.dirname(path.join(siteDir, name)), { recursive: true });
      fs.writeFileSync(path.join(siteDir, name), bytes);
    }

    const calls = bot.slack.calls.length;
    const checklist = JSON.stringify(result.draft.blocks).includes('Nothing is missing')
      ? 'nothing missing'
      : 'see the checklist on the draft message';
    const rel = (p: string) => path.relative(process.cwd(), p) || '.';
    console.log(
      `\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s, ${calls} calls to the fake Slack.`,
    );
    console.log(
      `  draft message posted to the organisers' channel (${result.organisersChannel}): ${checklist}`,
    );
    console.log(`  the post:             ${rel(path.join(draftDir, result.markdown.filename))}`);
    console.log(`  the post and images:  ${rel(path.join(draftDir, result.zip.filename))}`);
    console.log(`  laid out as the site: ${rel(siteDir)}/ (${Object.keys(entries).join(', ')})`);
    console.log(`  the database:         ${rel(folder.file())}`);
  } finally {
    await bot.stop({ keepFolder: true });
  }
}

/** A small PNG drawn here (a gradient), standing in for a phone photo of the evening. */
function samplePhoto(width = 160, height = 90): Buffer {
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      row[1 + x * 3] = Math.round((x / width) * 255);
      row[2 + x * 3] = Math.round((y / height) * 255);
      row[3 + x * 3] = 160;
    }
    rows.push(row);
  }
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

main().catch((err: unknown) => {
  console.error(`demo failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
