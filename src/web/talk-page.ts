import { LINK_KINDS, PRONOUNS, type Takeaway, type Talk } from '../domain/meetup';
import { formatSize, MAX_PHOTO_BYTES } from '../services/photos';
import type { DeadLink } from '../services/talk-links';
import { type Html, html, type PageOptions } from './html';
import { FIELD, type FieldErrors, type FormValues, speakerField, speakerRows } from './talk-form';

/** The speaker's pages, as pure functions of what they show. */

const MAX_PHOTO = formatSize(MAX_PHOTO_BYTES);

export interface TalkPageModel {
  groupName: string;
  /** "the November 2018 meetup" */
  meetupLabel: string;
  /** "Wednesday 7 November 2018" */
  meetupDate: string;
  /** Where the form posts back to (the same address, with its token). */
  action: string;
  csrf: string;
  values: FormValues;
  errors: FieldErrors;
  /** The talk has a photo stored: its address, to show it. */
  photoSrc?: string;
  /** Until when the link works: "Wednesday 21 November 2018". */
  expires: string;
  /** Just saved: say so above the form. */
  saved?: boolean;
}

const LINK_KIND_WORDS: Record<(typeof LINK_KINDS)[number], string> = {
  slides: 'Slides',
  video: 'Video of the talk',
  page: 'A page about it',
};

export function talkFormPage(m: TalkPageModel): PageOptions {
  const e = m.errors;
  const v = (name: string) => m.values[name] ?? '';
  const problems = Object.entries(e);
  const summary =
    problems.length > 0
      ? html`<div class="notice problem" role="alert" id="problems">
<h2>Nothing was saved yet: ${problems.length === 1 ? 'one thing needs' : `${problems.length} things need`} changing</h2>
<ul>${problems.map(([field, message]) => (field === 'form' ? html`<li>${message}</li>` : html`<li><a href="#${field}">${message}</a></li>`))}</ul>
</div>`
      : undefined;
  const saved = m.saved
    ? html`<div class="notice saved" role="status"><strong>Saved. Thank you!</strong> The organisers have been told.
You can change your answer with this same link until the post is published (the link works until ${m.expires}).</div>`
    : undefined;
  const rows = Array.from({ length: speakerRows(m.values) }, (_, i) => speakerFieldset(i, m.values, e));
  const body = html`<p class="group">${m.groupName}</p>
<h1>Your talk at ${m.meetupLabel}</h1>
<p>${m.meetupDate}. What you enter here goes into the group's roundup post of the evening. The organisers see it before it is published.</p>
${saved}${summary}
<form method="post" action="${m.action}" enctype="multipart/form-data" novalidate>
<input type="hidden" name="${FIELD.csrf}" value="${m.csrf}">
${v(FIELD.photoKept) ? html`<input type="hidden" name="${FIELD.photoKept}" value="${v(FIELD.photoKept)}">` : ''}
${rows}
<fieldset>
<legend>The talk</legend>
${field(FIELD.title, 'Title', e, (a) => html`<input type="text" id="${FIELD.title}" name="${FIELD.title}" value="${v(FIELD.title)}" maxlength="200" required${a}>`)}
${field(FIELD.linkUrl, 'Link to your slides or the video', e, (a) => html`<input type="url" id="${FIELD.linkUrl}" name="${FIELD.linkUrl}" value="${v(FIELD.linkUrl)}" inputmode="url" placeholder="https://"${a}>`, 'Optional. The post links your title to it.')}
${field(FIELD.linkKind, 'What the link is', e, (a) => html`<select id="${FIELD.linkKind}" name="${FIELD.linkKind}"${a}>${LINK_KINDS.map((k) => html`<option value="${k}"${v(FIELD.linkKind) === k ? html` selected` : ''}>${LINK_KIND_WORDS[k]}</option>`)}</select>`)}
${field(FIELD.takeaways, 'Your takeaways', e, (a) => html`<textarea id="${FIELD.takeaways}" name="${FIELD.takeaways}" rows="10"${a}>${v(FIELD.takeaways)}</textarea>`, 'What the audience should remember: one point per line. To put a point under the one above it, start its line with two spaces.')}
</fieldset>
<fieldset>
<legend>Your photo</legend>
${m.photoSrc ? html`<p>The photo the post has now:</p><img class="photo" src="${m.photoSrc}" alt="The photo the post has now">` : ''}
${v(FIELD.photoKept) ? html`<p class="notice saved" id="photo-kept-note">The photo you chose is kept: it is saved with the rest when you press Save. Choose another only to change it.</p>` : ''}
${field(FIELD.photo, m.photoSrc ? 'Another photo, to replace it' : 'A photo of you', e, (a) => html`<input type="file" id="${FIELD.photo}" name="${FIELD.photo}" accept="image/jpeg,image/png,image/gif,image/webp"${a}>`, `Optional. A JPEG, PNG, GIF or WebP image of at most ${MAX_PHOTO}.`)}
${field(FIELD.photoAlt, 'What the photo shows', e, (a) => html`<input type="text" id="${FIELD.photoAlt}" name="${FIELD.photoAlt}" value="${v(FIELD.photoAlt)}" maxlength="200"${a}>`, 'For people who cannot see it, such as “Ada Lovelace speaking”.')}
</fieldset>
<button type="submit">Save my talk</button>
</form>`;
  return { title: `Your talk at ${m.meetupLabel}: ${m.groupName}`, body };
}

function speakerFieldset(i: number, values: FormValues, e: FieldErrors): Html {
  const name = speakerField(i, 'name');
  const company = speakerField(i, 'company');
  const pronouns = speakerField(i, 'pronouns');
  const v = (n: string) => values[n] ?? '';
  const first = i === 0;
  return html`<fieldset>
<legend>${first ? 'You' : `Another speaker of this talk${values[name] ? '' : ' (optional)'}`}</legend>
${field(name, 'Name, as it should read', e, (a) => html`<input type="text" id="${name}" name="${name}" value="${v(name)}" maxlength="100" autocomplete="${first ? 'name' : 'off'}"${a}>`)}
${field(company, 'Company', e, (a) => html`<input type="text" id="${company}" name="${company}" value="${v(company)}" maxlength="100" autocomplete="${first ? 'organization' : 'off'}"${a}>`, 'As it should read after “from”: “DeepMind Health”, “the Financial Times”.')}
${field(pronouns, 'Pronouns', e, (a) => html`<select id="${pronouns}" name="${pronouns}"${a}><option value="">Not given (the post says “their”)</option>${PRONOUNS.map((p) => html`<option value="${p}"${v(pronouns) === p ? html` selected` : ''}>${p}</option>`)}</select>`)}
</fieldset>`;
}

/**
 * A label, its hint and its error, then the control, given the attributes that tie them to it
 * (aria-describedby, and aria-invalid when in error).
 */
function field(
  id: string,
  label: string,
  e: FieldErrors,
  control: (attributes: Html) => Html,
  hint?: string,
): Html {
  const error = e[id];
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  const attributes = html`${described ? html` aria-describedby="${described}"` : ''}${error ? html` aria-invalid="true"` : ''}`;
  return html`<label for="${id}">${label}</label>
${hint ? html`<span class="hint" id="${id}-hint">${hint}</span>` : ''}
${error ? html`<p class="error" id="${id}-error">${error}</p>` : ''}
${control(attributes)}`;
}

/** After the post is published: the talk as it reads, and no form. */
export function publishedPage(o: { groupName: string; meetupLabel: string; talk: Talk }): PageOptions {
  const t = o.talk;
  const body = html`<p class="group">${o.groupName}</p>
<h1>Your talk at ${o.meetupLabel}</h1>
<div class="notice" role="status">The roundup of this meetup is published, so your talk can no longer be changed here. For a correction, write to the organisers.</div>
<h2>${t.title}</h2>
<p>${t.speakers.map((s) => (s.company ? `${s.name} (${s.company})` : s.name)).join(', ')}</p>
${t.takeaways.length ? takeawayList(t.takeaways) : ''}`;
  return { title: `Your talk at ${o.meetupLabel}: ${o.groupName}`, body };
}

function takeawayList(items: readonly Takeaway[]): Html {
  return html`<ul>${items.map((t) => html`<li>${t.text}${t.items.length ? takeawayList(t.items) : ''}</li>`)}</ul>`;
}

const DEAD: Record<
  DeadLink | 'not_found' | 'csrf' | 'too_many' | 'too_large' | 'unreadable' | 'failed',
  [string, string]
> = {
  invalid: [
    'This link does not work',
    'The address is not one the organisers gave out: part of it may be missing or changed. Copy the whole link from their message again, or ask them for a new one.',
  ],
  expired: ['This link has expired', 'Ask the organisers for a new link to your talk.'],
  revoked: [
    'This link was withdrawn',
    'The organisers withdrew this link. If you still want to fill in your talk, ask them for a new one.',
  ],
  gone: [
    'This talk is no longer there',
    'The organisers removed the talk this link was for. Ask them if you think this is a mistake.',
  ],
  not_found: ['Not found', 'There is nothing at this address.'],
  csrf: [
    'This form could not be checked',
    'Nothing was saved. The form did not come back with the check this page gives it, which happens when the browser blocks this site’s cookies or the page was open a long time. Go back, reload the page, and save again.',
  ],
  too_many: [
    'Too many tries',
    'Nothing was saved. There were too many requests in a short time. Go back (what you typed is still there) and save again in a few minutes.',
  ],
  too_large: [
    'Too much to send',
    `Nothing was saved: what was sent is larger than the form takes. Go back and choose a photo of at most ${MAX_PHOTO}.`,
  ],
  unreadable: [
    'This form could not be read',
    'Nothing was saved: what arrived was not the form this page sends. Go back, reload the page, and save again.',
  ],
  failed: [
    'Something went wrong',
    'Your answer may not have been saved. Go back and try again in a moment; if it keeps failing, tell the organisers.',
  ],
};

export type Refusal = keyof typeof DEAD;

/** A page that says why nothing can be done here, and what to do; it names nothing of any talk. */
export function refusalPage(why: Refusal): PageOptions {
  const [title, words] = DEAD[why];
  return { title, body: html`<h1>${title}</h1>\n<p>${words}</p>` };
}
