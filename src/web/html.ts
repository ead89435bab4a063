import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/**
 * What every page of the bot's own web server is made of: escaping, the page around a body, and the headers
 * that keep a page to itself (no scripts, no framing, no referrer, nothing cached).
 */

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text safe in HTML content and in a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);
}

/** A tagged template whose interpolations are escaped, unless they are already `Html`. */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

type Part = string | number | Html | undefined | false | readonly Part[];

function partText(part: Part): string {
  if (part === undefined || part === false) return '';
  if (part instanceof Html) return part.text;
  if (Array.isArray(part)) return part.map(partText).join('');
  return escapeHtml(String(part));
}

export function html(strings: TemplateStringsArray, ...parts: Part[]): Html {
  let out = strings[0] ?? '';
  parts.forEach((part, i) => {
    out += partText(part) + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

/** Sizes that read on a phone (16 px inputs keep iOS from zooming), with contrast above WCAG AA. */
const STYLE = `
:root{color-scheme:light;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.5;color:#1b1b1f;background:#f6f6f8}
body{margin:0}
main{max-width:40rem;margin:0 auto;padding:1rem;background:#fff;min-height:100vh;box-sizing:border-box}
h1{font-size:1.5rem;line-height:1.25;margin:.5rem 0 1rem}
h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
.group{color:#4a4a55;font-weight:600;margin:0}
fieldset{border:1px solid #c9c9d1;border-radius:6px;margin:0 0 1rem;padding:.75rem}
legend{font-weight:600;padding:0 .25rem}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}
.hint{display:block;color:#4a4a55;font-size:.95rem;margin:0 0 .25rem}
input[type=text],input[type=url],select,textarea{display:block;width:100%;box-sizing:border-box;font:inherit;font-size:1rem;padding:.5rem;border:1px solid #6b6b76;border-radius:4px;background:#fff;color:inherit}
textarea{min-height:10rem}
input[type=file]{font-size:1rem}
:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}
.error{color:#b3261e;font-weight:600;margin:.25rem 0}
[aria-invalid=true]{border-color:#b3261e;border-width:2px}
.notice{border-left:4px solid #0b57d0;background:#eef3fd;padding:.75rem;margin:0 0 1rem}
.notice.saved{border-color:#146c2e;background:#e8f5ec}
.notice.problem{border-color:#b3261e;background:#fdeeee}
button{font:inherit;font-size:1.05rem;font-weight:600;color:#fff;background:#0b57d0;border:0;border-radius:6px;padding:.75rem 1.5rem;margin:1rem 0;cursor:pointer}
button:hover{background:#0842a0}
img.photo{max-width:10rem;height:auto;border-radius:4px;display:block;margin:.25rem 0}
`;

export interface PageOptions {
  title: string;
  body: Html;
}

export function renderPage(o: PageOptions, nonce: string): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${o.title}</title>
<style nonce="${nonce}">${new Html(STYLE)}</style>
</head>
<body>
<main>
${o.body}
</main>
</body>
</html>
`.text;
}

/**
 * Send a page: no script may run (the pages have none), only the page's own style and the bot's own images,
 * forms only to the bot itself, never in a frame; the address (which holds the speaker's token) is never
 * sent on as a referrer, and nothing is kept in a cache.
 */
export function sendPage(
  res: ServerResponse,
  status: number,
  o: PageOptions,
  headers: Record<string, string | string[]> = {},
): void {
  const nonce = randomBytes(16).toString('base64');
  const body = renderPage(o, nonce);
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    ...securityHeaders(`style-src 'nonce-${nonce}'`),
    ...headers,
  });
  res.end(body);
}

export function securityHeaders(styleSource = "style-src 'none'"): Record<string, string> {
  return {
    'content-security-policy': `default-src 'none'; ${styleSource}; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'cache-control': 'no-store',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=()',
  };
}
