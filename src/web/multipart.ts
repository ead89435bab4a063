import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';

/** A form posted as multipart/form-data, read within limits (busboy parses it as it streams in). */
export interface PostedForm {
  fields: Record<string, string>;
  /** The one file the form takes, if one was chosen. */
  file?: { field: string; name: string; bytes: Buffer; truncated: boolean };
}

export interface FormLimits {
  /** The whole body, photo included: past it the request is refused as it streams. */
  maxBodyBytes: number;
  maxFileBytes: number;
  maxFieldBytes: number;
  maxFields: number;
}

/** Why a body was refused: too big in all (413), not a form this reader takes (415), or broken (400). */
export class FormRefused extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    message: string,
  ) {
    super(message);
    this.name = 'FormRefused';
  }
}

/**
 * Reads the body. A file over `maxFileBytes` is kept cut off (`truncated`), so the rest of the form can still
 * be shown back; a body over `maxBodyBytes` is refused, the announced length before reading a byte. Fields
 * past their count or size are dropped, as busboy does, and a field cut off is refused.
 */
export function readMultipartForm(req: IncomingMessage, limits: FormLimits): Promise<PostedForm> {
  return new Promise((resolve, reject) => {
    const type = req.headers['content-type'] ?? '';
    if (!/^multipart\/form-data\b/i.test(type)) {
      reject(new FormRefused(415, 'the form must be sent as multipart/form-data'));
      return;
    }
    const announced = Number(req.headers['content-length'] ?? Number.NaN);
    if (announced > limits.maxBodyBytes) {
      reject(new FormRefused(413, 'the body is larger than the form takes'));
      req.resume();
      return;
    }
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        limits: {
          fileSize: limits.maxFileBytes,
          files: 1,
          fields: limits.maxFields,
          fieldSize: limits.maxFieldBytes,
          parts: limits.maxFields + 1,
        },
      });
    } catch {
      reject(new FormRefused(400, 'the form could not be read'));
      return;
    }
    const form: PostedForm = { fields: {} };
    let received = 0;
    let failed = false;
    const fail = (err: FormRefused) => {
      if (failed) return;
      failed = true;
      req.unpipe(parser);
      req.resume();
      reject(err);
    };
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > limits.maxBodyBytes)
        fail(new FormRefused(413, 'the body is larger than the form takes'));
    });
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) fail(new FormRefused(413, `the field ${name} is longer than the form takes`));
      else if (Object.hasOwn(form.fields, name) || name.length > 100) return;
      else form.fields[name] = value;
    });
    parser.on('file', (field, stream, info) => {
      // A body that ends inside the file (cut off, or lying about its length) errors the file's stream too.
      stream.on('error', () => fail(new FormRefused(400, 'the form could not be read')));
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('close', () => {
        const bytes = Buffer.concat(chunks);
        // A file input left empty still sends a part: no name, no bytes.
        if (bytes.length === 0 && !info.filename) return;
        form.file = { field, name: info.filename || 'photo', bytes, truncated: stream.truncated === true };
      });
    });
    parser.on('error', () => fail(new FormRefused(400, 'the form could not be read')));
    // The client went away (or the server's request timeout ended it) before the body's end.
    req.on('close', () => {
      if (!req.complete) fail(new FormRefused(400, 'the form was not sent to its end'));
    });
    parser.on('close', () => {
      if (!failed) resolve(form);
    });
    req.pipe(parser);
  });
}
