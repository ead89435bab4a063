import {
  altBlockId,
  buildAddToRoundupModal,
  readAddToRoundupModal,
  roleBlockId,
} from '../../../src/slack/views/add-to-roundup-modal';
import type { StateValues } from '../../../src/slack/views/form';
import { ADD_TO_ROUNDUP } from '../../../src/slack/views/ids';
import { stateValues } from '../../support/bot';
import { input, type StateValue } from '../../support/slack-requests';

const MEETUP = '3f1c2a9e-0000-4000-8000-000000000001';
const files = [
  { id: 'F0AAAAAAA1', name: 'stage.png', mimetype: 'image/png', size: 1000 },
  { id: 'F0AAAAAAA2', name: 'talk.jpg', mimetype: 'image/jpeg', size: 2000 },
];
const metadata = { meetupId: MEETUP, files, refused: [] };
const values = (v: Record<string, StateValue>) => stateValues(v) as unknown as StateValues;

describe('the Add to roundup form', () => {
  it('offers a role and a description per image, the meetup’s talks among the roles, within Slack’s limits', () => {
    const view = buildAddToRoundupModal({
      ...metadata,
      meetups: [{ id: MEETUP, label: 'the November 2018 meetup (2018-11-07)' }],
      talks: [{ id: 'talk-1', title: 'Deployments with Kapitan', speakers: ['Alessandro De Maria'] }],
    });
    expect(view.callback_id).toBe(ADD_TO_ROUNDUP.modal);
    const ids = view.blocks.map((b) => b.block_id).filter(Boolean);
    expect(ids).toEqual([
      ADD_TO_ROUNDUP.meetup,
      roleBlockId(MEETUP, 0),
      altBlockId(0),
      roleBlockId(MEETUP, 1),
      altBlockId(1),
    ]);
    const roles = JSON.stringify(view.blocks.find((b) => b.block_id === roleBlockId(MEETUP, 1)));
    expect(roles).toContain('talk:talk-1');
    expect(roles).toContain('Alessandro De Maria');
    expect((view.private_metadata ?? '').length).toBeLessThanOrEqual(3000);
  });

  it('reads a role per image, and refuses two header photos, one talk twice, or every photo left out', () => {
    const read = (v: Record<string, StateValue>) => readAddToRoundupModal(values(v), metadata);
    expect(
      read({
        [roleBlockId(MEETUP, 0)]: input.staticSelect('group'),
        [roleBlockId(MEETUP, 1)]: input.staticSelect('talk:t1'),
        [altBlockId(1)]: input.text(' Alessandro '),
      }),
    ).toEqual({
      ok: true,
      value: {
        meetupId: MEETUP,
        placed: [
          { file: files[0], place: { role: 'group' } },
          { file: files[1], place: { role: 'talk', talkId: 't1', alt: 'Alessandro' } },
        ],
      },
    });
    expect(
      read({
        [roleBlockId(MEETUP, 0)]: input.staticSelect('header'),
        [roleBlockId(MEETUP, 1)]: input.staticSelect('header'),
      }),
    ).toMatchObject({
      ok: false,
      errors: { [roleBlockId(MEETUP, 1)]: expect.stringContaining('one header photo') },
    });
    expect(
      read({
        [roleBlockId(MEETUP, 0)]: input.staticSelect('talk:t1'),
        [roleBlockId(MEETUP, 1)]: input.staticSelect('talk:t1'),
      }),
    ).toMatchObject({
      ok: false,
      errors: { [roleBlockId(MEETUP, 1)]: expect.stringContaining('A talk has one photo') },
    });
    expect(
      read({
        [roleBlockId(MEETUP, 0)]: input.staticSelect('skip'),
        [roleBlockId(MEETUP, 1)]: input.staticSelect('skip'),
      }),
    ).toMatchObject({
      ok: false,
      errors: { [roleBlockId(MEETUP, 0)]: expect.stringContaining('Every photo is left out') },
    });
    expect(read({ [ADD_TO_ROUNDUP.meetup]: input.staticSelect('another-meetup') })).toMatchObject({
      ok: false,
      errors: { [ADD_TO_ROUNDUP.meetup]: expect.any(String) },
    });
  });
});
