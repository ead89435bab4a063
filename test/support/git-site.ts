import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { Roundup } from '../../src/domain/meetup';
import { loadRoundup } from './fixtures';

/**
 * A group's site as a git remote: a bare repository in a temporary folder, holding a minimal Jekyll site on
 * `main`, and helpers to read what was published to it from a fresh clone.
 */

const IDENTITY = ['-c', 'user.name=Site Owner', '-c', 'user.email=owner@example.org'];

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', [...IDENTITY, ...args], { cwd, encoding: 'utf8', stdio: 'pipe' });
}

/** `<dir>/site.git`, a bare repository whose `main` holds a Jekyll site with a post layout. */
export function makeBareSite(dir: string): string {
  const bare = path.join(dir, 'site.git');
  const seed = path.join(dir, 'seed');
  execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', bare]);
  execFileSync('git', ['init', '--quiet', '--initial-branch=main', seed]);
  fs.mkdirSync(path.join(seed, '_layouts'), { recursive: true });
  fs.writeFileSync(
    path.join(seed, '_config.yml'),
    'title: The group\nmarkdown: kramdown\nkramdown:\n  input: GFM\npermalink: /:year/:month/:day/:title.html\n',
  );
  fs.writeFileSync(
    path.join(seed, '_layouts', 'post.html'),
    '<!doctype html>\n<html><head><title>{{ page.title }}</title></head><body><main>{{ content }}</main></body></html>\n',
  );
  git(seed, 'add', '.');
  git(seed, 'commit', '--quiet', '-m', 'The site');
  git(seed, 'remote', 'add', 'origin', bare);
  git(seed, 'push', '--quiet', 'origin', 'main');
  return bare;
}

/** A fresh clone of one branch of the remote, in `<dir>/<name>`. */
export function cloneBranch(remote: string, branch: string, dir: string, name = 'clone'): string {
  const target = path.join(dir, name);
  fs.rmSync(target, { recursive: true, force: true });
  execFileSync('git', ['clone', '--quiet', '--branch', branch, remote, target], { stdio: 'pipe' });
  return target;
}

/**
 * A portrait phone photo: landscape pixels (red left half, blue right half) with EXIF orientation 6 and
 * GPS tags, `width` × `height` as stored.
 */
export async function phonePortrait(width = 400, height = 200): Promise<Buffer> {
  const blue = await sharp({ create: { width: width / 2, height, channels: 3, background: '#0000ff' } })
    .png()
    .toBuffer();
  return sharp({ create: { width, height, channels: 3, background: '#ff0000' } })
    .composite([{ input: blue, left: width / 2, top: 0 }])
    .jpeg()
    .withMetadata({ orientation: 6 })
    .withExif({
      IFD0: { Copyright: 'A phone' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '51/1 30/1 1234/100',
        GPSLongitudeRef: 'W',
        GPSLongitude: '0/1 7/1 0/1',
      },
    })
    .toBuffer();
}

/**
 * December 2018 with its header photo and first talk's photo stored as files (the header 3000 px wide, the
 * speaker a portrait phone photo), written as `<dir>/meetup.json` with the photos beside it.
 */
export async function meetupWithPhotos(dir: string): Promise<{ json: string; roundup: Roundup }> {
  const base = loadRoundup('2018-12-cloud-native-london');
  fs.mkdirSync(path.join(dir, 'photos'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'photos', 'header.jpeg'),
    await sharp({ create: { width: 3000, height: 2000, channels: 3, background: '#336699' } })
      .jpeg()
      .toBuffer(),
  );
  fs.writeFileSync(path.join(dir, 'photos', 'speaker.jpeg'), await phonePortrait());
  const roundup: Roundup = {
    ...base,
    meetup: {
      ...base.meetup,
      headerPhoto: {
        role: 'header',
        alt: 'The audience',
        stored: { file: 'photos/header.jpeg', mimeType: 'image/jpeg' },
      },
      talks: base.meetup.talks.map((t, i) =>
        i === 0
          ? { ...t, photo: { role: 'talk', stored: { file: 'photos/speaker.jpeg', mimeType: 'image/jpeg' } } }
          : t,
      ),
    },
  };
  const json = path.join(dir, 'meetup.json');
  fs.writeFileSync(json, JSON.stringify(roundup, null, 2));
  return { json, roundup };
}
