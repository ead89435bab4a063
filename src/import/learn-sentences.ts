import type { Meetup, Roundup, SiteStyle, Talk } from '../domain/meetup';
import { andList, clockTime, dateWords, numberWord, videoStart } from '../render/words';

/**
 * The sentences a new post says where the organiser writes none, learnt from the site's latest posts: each
 * sentence with its facts (companies, names, titles, links, dates, pronouns) turned into placeholders. A
 * sentence is learnt only when every link in it became a placeholder and nothing in brackets is left (an
 * aside such as "(unfortunately the audio ...)" belongs to its evening, not to the style); otherwise an older
 * post's is tried.
 */
export function learnSentences(roundups: readonly Roundup[]): NonNullable<SiteStyle['sentences']> {
  const newest = [...roundups].sort((a, b) => b.meetup.date.localeCompare(a.meetup.date));
  const learnt: NonNullable<SiteStyle['sentences']> = {};
  const first = <T>(f: (r: Roundup) => T | undefined): T | undefined => {
    for (const r of newest) {
      const v = f(r);
      if (v !== undefined) return v;
    }
    return undefined;
  };
  const intro = first((r) => r.meetup.intro && general(meetupSentence(r.meetup.intro, r)));
  if (intro) learnt.intro = intro;
  const sponsors = first(
    (r) => r.meetup.sentences.sponsors && general(sponsorsSentence(r.meetup.sentences.sponsors, r.meetup)),
  );
  if (sponsors) learnt.sponsors = sponsors;
  const lead = (pick: (talks: Talk[]) => Talk | undefined) =>
    first((r) => {
      const talk = pick(r.meetup.talks);
      return talk?.lead && general(leadSentence(talk.lead, talk), '{who}');
    });
  const talkFirst = lead((t) => t[0]);
  const talkNext =
    lead((t) => (t.length > 2 ? t[1] : undefined)) ?? lead((t) => (t.length === 2 ? t[1] : undefined));
  const talkLast = lead((t) => (t.length > 1 ? t[t.length - 1] : undefined));
  if (talkFirst) learnt.talkFirst = talkFirst;
  if (talkNext) learnt.talkNext = talkNext;
  if (talkLast) learnt.talkLast = talkLast;
  const groupPhoto = first((r) =>
    general(r.meetup.photos.find((p) => p.role === 'group' && p.caption)?.caption),
  );
  if (groupPhoto) learnt.groupPhoto = groupPhoto;
  const next = first(
    (r) => r.meetup.next?.text && general(nextSentence(r.meetup.next.text, r), '{dateOrdinal}', '{date}'),
  );
  if (next) learnt.next = next;
  const closing = first((r) => general(r.meetup.sentences.closing));
  if (closing) learnt.closing = closing;
  return learnt;
}

/** The sentence when it holds no link and no aside of its own (and one of `needs`, if given). */
function general(sentence: string | undefined, ...needs: string[]): string | undefined {
  if (!sentence || sentence.includes('](') || sentence.includes('\n\n')) return undefined;
  if (/\((?!\{)/.test(sentence.replace(/\{[A-Za-z]+\}/g, ''))) return undefined;
  if (needs.length > 0 && !needs.some((n) => sentence.includes(n))) return undefined;
  return sentence;
}

function swapAll(text: string, swaps: [string, string][]): string {
  let out = text;
  for (const [value, placeholder] of swaps) {
    if (value.length > 1 && out.includes(value)) out = out.split(value).join(placeholder);
  }
  return out;
}

function companiesOf(meetup: Meetup): string[] {
  return [...new Set(meetup.talks.flatMap((t) => t.speakers.map((s) => s.company ?? '')))].filter(Boolean);
}

function listForms(items: string[]): string[] {
  if (items.length < 2) return items;
  const noSerial = `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
  return [andList(items), noSerial, `${items.slice(0, -1).join(', ')}, & ${items[items.length - 1]}`];
}

function meetupSentence(text: string, r: Roundup): string {
  const { meetup, group } = r;
  const words = dateWords(meetup.date);
  const count = numberWord(meetup.talks.length);
  const swaps: [string, string][] = [
    ...listForms(companiesOf(meetup)).map((c): [string, string] => [c, '{companies}']),
    [group.name, '{group}'],
    [words.month, '{month}'],
    ...(meetup.venue ? [[meetup.venue.name, '{venue}'] as [string, string]] : []),
    ...(meetup.host ? [[meetup.host.name, '{host}'] as [string, string]] : []),
  ];
  return swapAll(text, swaps)
    .replace(new RegExp(`\\b${cap(count)}\\b`), '{Count}')
    .replace(new RegExp(`\\b${count}\\b`), '{count}');
}

function sponsorsSentence(text: string, meetup: Meetup): string {
  const links = [...text.matchAll(/\[([^\]]+)\]\(([^\s)]+)\)/g)].filter((l) =>
    meetup.sponsors.some((s) => s.name === l[1]),
  );
  const firstLink = links[0];
  const lastLink = links[links.length - 1];
  if (!firstLink || !lastLink) return text;
  const start = firstLink.index ?? 0;
  const end = (lastLink.index ?? 0) + lastLink[0].length;
  return `${text.slice(0, start)}{sponsors}${text.slice(end)}`;
}

function leadSentence(text: string, talk: Talk): string {
  let out = text;
  // The speakers as the sentence names them: "A from X", "A and B from X".
  const names = talk.speakers.map((s) => s.name);
  const company = talk.speakers[0]?.company;
  const who = company ? `${names.join(' and ')} from ${company}` : names.join(' and ');
  out = swapAll(out, [[who, '{who}']]);
  if (talk.link) {
    const url = talk.link.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const start = videoStart(talk.link.url);
    // "(starting at [06:15](url))" is {starting}; "[Title](url)(starting at 14:21)" is {titleLink}{at}.
    out = out.replace(new RegExp(` ?\\(starting(?: at)? \\[[\\d:]+\\]\\(${url}\\)\\)`), '{starting}');
    out = out.replace(new RegExp(`\\["[^\\]]*"\\]\\(${url}\\)`), '{title}');
    out = out.replace(new RegExp(`\\[[^\\]]*\\]\\(${url}\\)`), '{titleLink}');
    if (start !== undefined) out = out.replace(`(starting at ${clockTime(start)})`, '{at}');
  }
  out = swapAll(out, [[talk.title, '{titleText}']]);
  // A lead that names no title through a placeholder holds this talk's own words: not learnt.
  if (!/\{(title|titleLink|titleText)\}/.test(out)) return `${out}(`;
  const pronoun = talk.speakers.length === 1 ? talk.speakers[0]?.pronouns : undefined;
  if (pronoun === 'he') {
    out = out
      .replace(/\bHis\b/g, '{Their}')
      .replace(/\bhis\b/g, '{their}')
      .replace(/\bHe\b/g, '{They}')
      .replace(/\bhe\b/g, '{they}');
  } else if (pronoun === 'she') {
    out = out
      .replace(/\bHer\b/g, '{Their}')
      .replace(/\bher\b/g, '{their}')
      .replace(/\bShe\b/g, '{They}')
      .replace(/\bshe\b/g, '{they}');
  }
  return out;
}

function nextSentence(text: string, r: Roundup): string {
  const next = r.meetup.next;
  if (!next) return text;
  const words = dateWords(next.date);
  let out = swapAll(text, [
    [words.dayAndDateOrdinal, '{dateOrdinal}'],
    [words.dayAndDate, '{date}'],
    ...listForms(next.companies).map((c): [string, string] => [c, '{companies}']),
  ]);
  if (next.rsvpUrl) {
    const url = next.rsvpUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    out = out.replace(new RegExp(`\\[RSVP and save the date now!\\]\\(${url}\\)`), '{rsvp}');
  }
  // Companies the placeholders did not take are this evening's, not the style's.
  return next.companies.some((c) => out.includes(c)) ? `${out}(` : out;
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
