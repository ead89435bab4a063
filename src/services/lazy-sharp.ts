import type Sharp from 'sharp';

/**
 * sharp, loaded at the first photo rather than at start-up: it maps libvips (about 8 MB resident) and takes
 * some 20 ms to load, and most requests, and an idle bot, never touch a photo.
 */
export function sharp(...args: Parameters<typeof Sharp>): ReturnType<typeof Sharp> {
  loaded ??= require('sharp') as typeof Sharp;
  return loaded(...args);
}

let loaded: typeof Sharp | undefined;
