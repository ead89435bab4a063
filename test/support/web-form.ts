/** A browser's side of a plain HTML form, over HTTP: the page, its cookie, and posting the form back. */

export interface Page {
  status: number;
  html: string;
  headers: Headers;
  /** `name=value` of the cookie the page set, if it set one. */
  cookie?: string;
}

export async function getPage(url: string, cookie?: string): Promise<Page> {
  const res = await fetch(url, { headers: cookie ? { cookie } : {}, redirect: 'manual' });
  const set = res.headers.get('set-cookie')?.split(';')[0];
  return {
    status: res.status,
    html: await res.text(),
    headers: res.headers,
    ...(set ? { cookie: set } : {}),
  };
}

/** The value of a form field the page shows (inputs, the selected option, a textarea). */
export function fieldValue(html: string, name: string): string | undefined {
  const input = new RegExp(`<input[^>]*name="${name}"[^>]*value="([^"]*)"`).exec(html);
  if (input) return htmlText(input[1] as string);
  const area = new RegExp(`<textarea[^>]*name="${name}"[^>]*>([\\s\\S]*?)</textarea>`).exec(html);
  if (area) return htmlText(area[1] as string);
  const select = new RegExp(`<select[^>]*name="${name}"[^>]*>([\\s\\S]*?)</select>`).exec(html);
  if (select) return htmlText(/<option value="([^"]*)" selected>/.exec(select[1] as string)?.[1] ?? '');
  return undefined;
}

/** The error shown next to a field (`<p class="error" id="<name>-error">`), if any. */
export function fieldError(html: string, name: string): string | undefined {
  const m = new RegExp(`<p class="error" id="${name}-error">([^<]*)</p>`).exec(html);
  return m ? htmlText(m[1] as string) : undefined;
}

function htmlText(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/** Every field of the page's form as the page shows it (what a browser would send unchanged). */
export function formFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/name="([^"]+)"/g)) {
    const name = m[1] as string;
    if (name === 'robots' || name === 'viewport' || name === 'photo') continue;
    const value = fieldValue(html, name);
    if (value !== undefined) fields[name] = value;
  }
  return fields;
}

export interface PostOptions {
  cookie?: string;
  photo?: { bytes: Buffer; name: string; type?: string };
}

/** Posts the form as a browser does (multipart/form-data), without following the redirect. */
export async function postForm(url: string, fields: Record<string, string>, o: PostOptions = {}) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  if (o.photo)
    form.append('photo', new Blob([o.photo.bytes], { type: o.photo.type ?? 'image/jpeg' }), o.photo.name);
  else form.append('photo', new Blob([], { type: 'application/octet-stream' }), '');
  const res = await fetch(url, {
    method: 'POST',
    body: form,
    headers: o.cookie ? { cookie: o.cookie } : {},
    redirect: 'manual',
  });
  return { status: res.status, html: await res.text(), headers: res.headers };
}
