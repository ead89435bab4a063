import { Readable } from 'node:stream';
import { WebClient } from '@slack/web-api';
import { uploadFiles } from '../../src/services/slack-upload';
import { FakeSlack, UPLOAD_METHOD } from '../support/fake-slack';

describe('uploading files from a stream', () => {
  let slack: FakeSlack;
  let client: WebClient;
  beforeEach(async () => {
    slack = await FakeSlack.start();
    client = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl });
  });
  afterEach(() => slack.stop());

  const chunks = (bytes: Buffer) => () =>
    Readable.from([bytes.subarray(0, 3), bytes.subarray(3, 1000), bytes.subarray(1000)]);

  it('announces each length, sends the bytes, and shares the files together in the thread', async () => {
    const channel = slack.addChannel({ name: 'organisers' });
    const zip = Buffer.alloc(5000, 7);
    const md = Buffer.from('# post\n');
    const ids = await uploadFiles(
      client,
      { channelId: channel, threadTs: '1700000000.000100', initialComment: 'Draft 1' },
      [
        { filename: 'post.zip', title: 'post.zip', length: zip.length, body: chunks(zip) },
        { filename: 'post.md', title: 'post.md', length: md.length, body: () => md },
      ],
    );
    expect(ids).toHaveLength(2);
    expect(slack.uploads.map((u) => [u.fileId, u.filename, u.length, u.bytes])).toEqual([
      [ids[0], 'post.zip', 5000, zip],
      [ids[1], 'post.md', md.length, md],
    ]);
    expect(slack.uploads[0]).toMatchObject({
      channel_id: channel,
      thread_ts: '1700000000.000100',
      initial_comment: 'Draft 1',
    });
    expect(slack.callsTo('files.completeUploadExternal')).toHaveLength(1);
  });

  it('sends the bytes again, from a fresh stream, when the upload URL fails once', async () => {
    const zip = Buffer.alloc(2000, 1);
    slack.failNext(UPLOAD_METHOD, { status: 500 });
    await uploadFiles(client, { channelId: slack.addChannel({ name: 'organisers' }) }, [
      { filename: 'post.zip', title: 'post.zip', length: zip.length, body: chunks(zip) },
    ]);
    expect(slack.callsTo(UPLOAD_METHOD)).toHaveLength(2);
    expect(slack.uploads[0]?.bytes).toEqual(zip);
  });
});
