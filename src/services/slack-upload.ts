import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { WebClient } from '@slack/web-api';

/**
 * Slack's three-step file upload (files.getUploadURLExternal, the bytes to the upload URL,
 * files.completeUploadExternal), with the bytes streamed. The Web API client's `filesUploadV2` reads every
 * file wholly into memory first (and a file given by path synchronously, on the event loop); a draft's
 * archive holds every photo of the evening, so it is sent from a stream whose length is known.
 */

export interface UploadFile {
  filename: string;
  title: string;
  /** The exact length in bytes, announced before the bytes are sent. */
  length: number;
  /** The bytes, afresh on each call: an upload that fails on the way is sent again. */
  body: () => Readable | Buffer;
}

export interface UploadTarget {
  channelId: string;
  threadTs?: string;
  initialComment?: string;
}

const ATTEMPTS = 3;
/** An upload idle for this long (no byte sent or answered) is abandoned and tried again. */
const IDLE_MS = 60_000;

/** Uploads the files and shares them, together, in the channel (or thread). Returns their file ids. */
export async function uploadFiles(
  client: WebClient,
  target: UploadTarget,
  files: readonly UploadFile[],
): Promise<string[]> {
  const done: Array<{ id: string; title: string }> = [];
  for (const file of files) {
    const slot = await client.files.getUploadURLExternal({ filename: file.filename, length: file.length });
    if (!slot.upload_url || !slot.file_id) throw new Error('Slack gave no upload URL');
    await sendWithRetries(slot.upload_url, file);
    done.push({ id: slot.file_id, title: file.title });
  }
  const [first, ...more] = done;
  if (!first) return [];
  await client.files.completeUploadExternal({
    files: [first, ...more],
    channel_id: target.channelId,
    ...(target.threadTs ? { thread_ts: target.threadTs } : {}),
    ...(target.initialComment ? { initial_comment: target.initialComment } : {}),
  });
  return done.map((f) => f.id);
}

class UploadFailed extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
    readonly final = false,
  ) {
    super(message);
    this.name = 'UploadFailed';
  }
}

async function sendWithRetries(url: string, file: UploadFile): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send(url, file);
    } catch (err) {
      const failed = err instanceof UploadFailed ? err : undefined;
      if (attempt >= ATTEMPTS || failed?.final) throw err;
      const wait = failed?.retryAfterMs ?? 500 * 2 ** (attempt - 1);
      await new Promise((resolve) => setTimeout(resolve, Math.min(wait, 10_000)));
    }
  }
}

function send(url: string, file: UploadFile): Promise<void> {
  const target = new URL(url);
  const transport = target.protocol === 'https:' ? https : http;
  return new Promise<void>((resolve, reject) => {
    const request = transport.request(target, {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(file.length) },
      timeout: IDLE_MS,
    });
    request.once('timeout', () => request.destroy(new UploadFailed('the upload stalled')));
    request.once('response', (response) => {
      response.resume();
      response.once('end', () => {
        const status = response.statusCode ?? 0;
        if (status === 200) return resolve();
        const retryAfter = Number(response.headers['retry-after']);
        reject(
          new UploadFailed(
            `the upload answered HTTP ${status}`,
            Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
            status >= 400 && status < 500 && status !== 429,
          ),
        );
      });
    });
    request.once('error', reject);
    const body = file.body();
    if (Buffer.isBuffer(body)) request.end(body);
    else pipeline(body, request).catch((err: unknown) => request.destroy(err as Error));
  });
}
