import path from 'node:path';
import sharp from 'sharp';
import { roundupSchema } from '../../src/domain/meetup';
import { type Site, siteSchema } from '../../src/domain/site';
import { PublishError } from '../../src/publish/gateway';
import { GitHubSite } from '../../src/publish/github-site';
import { publishPost } from '../../src/publish/publish-post';
import { FakeGitHub } from '../support/fake-github';
import { meetupWithPhotos } from '../support/git-site';
import { makeTempFolder, type TempFolder } from '../support/temp-db';

const REPO = 'cloudnativelondon/site';
const POST = '2018-12-12-cloud-native-london-december-2018';
const BRANCH = `roundup/${POST}`;

describe('publishing to GitHub, against the fake GitHub REST API', () => {
  let github: FakeGitHub;
  let temp: TempFolder;
  let site: Site;
  let roundup: ReturnType<typeof roundupSchema.parse>;
  let photoFolder: string;

  const gateway = (token?: string) => new GitHubSite({ repository: REPO, token, apiUrl: github.apiUrl });
  const publish = async (o: { token?: string; r?: typeof roundup } = {}) =>
    publishPost({
      roundup: o.r ?? roundup,
      site,
      gateway: gateway('token' in o ? o.token : github.token),
      photoFolder,
      webCache: path.join(temp.dir, 'web'),
    });
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('expected publishing to fail');
      },
      (err: unknown) => err as PublishError,
    );

  beforeEach(async () => {
    github = await FakeGitHub.start();
    github.addRepo(REPO, { '_config.yml': 'title: Cloud Native London\n', 'index.md': 'Hello\n' });
    temp = makeTempFolder();
    const made = await meetupWithPhotos(temp.dir);
    roundup = roundupSchema.parse(made.roundup);
    photoFolder = temp.dir;
    site = siteSchema.parse({ kind: 'github', repository: REPO });
  });
  afterEach(async () => {
    temp.remove();
    await github.stop();
  });

  it('opens a pull request from roundup/<post> with one commit holding the post and its web-ready photos', async () => {
    const outcome = await publish();
    expect(outcome).toMatchObject({
      branch: BRANCH,
      changed: true,
      pullRequest: { number: 1, state: 'open' },
    });
    expect(github.shapeErrors).toEqual([]);

    const history = github.history(REPO, BRANCH);
    expect(history).toHaveLength(2);
    expect(history[0]?.message).toBe(`Roundup post ${POST}`);
    const files = github.filesAt(REPO, BRANCH);
    expect([...files.keys()].sort()).toEqual([
      '_config.yml',
      `_posts/${POST}.md`,
      `images/${POST}-1.jpeg`,
      `images/${POST}.jpeg`,
      'index.md',
    ]);
    const speaker = await sharp(files.get(`images/${POST}-1.jpeg`)).metadata();
    expect([speaker.width, speaker.height, speaker.exif]).toEqual([200, 400, undefined]);
    expect(github.filesAt(REPO, 'main').size).toBe(2);

    const [pull] = github.pulls(REPO);
    expect(pull).toMatchObject({ head: BRANCH, base: 'main', state: 'open' });
    expect(pull?.title).toContain('Cloud Native London December 2018');
    for (const talk of roundup.meetup.talks) expect(pull?.body).toContain(talk.speakers[0]?.name);
    expect(pull?.body).toContain('### Checklist');
    expect(pull?.body).toContain(`- \`images/${POST}.jpeg\``);

    // The documented calls, in the documented shapes.
    const create = github.calls.find((c) => c.method === 'POST' && c.path.endsWith('/git/refs'));
    expect(create?.body).toEqual({ ref: `refs/heads/${BRANCH}`, sha: history[0]?.sha });
    const tree = github.calls.find((c) => c.path.endsWith('/git/trees'));
    expect(tree?.body).toMatchObject({ base_tree: expect.stringMatching(/^[0-9a-f]{40}$/) });
    expect((tree?.body as { tree?: unknown[] } | undefined)?.tree).toHaveLength(3);
    const blob = github.calls.find((c) => c.path.endsWith('/git/blobs'));
    expect(blob?.body).toMatchObject({ encoding: 'base64' });
    const list = github.calls.find((c) => c.method === 'GET' && c.path.endsWith('/pulls'));
    expect(list?.query).toMatchObject({ head: `cloudnativelondon:${BRANCH}`, state: 'all', base: 'main' });
  });

  it('publishing again after an edit adds a commit to the same branch and updates the same pull request', async () => {
    await publish();
    const again = await publish();
    expect(again.changed).toBe(false);
    expect(github.history(REPO, BRANCH)).toHaveLength(2);

    const edited = structuredClone(roundup);
    edited.meetup.talks[1]!.title = 'A title fixed after the review';
    const outcome = await publish({ r: edited });
    expect(outcome).toMatchObject({ changed: true, pullRequest: { number: 1, state: 'open' } });
    expect(github.history(REPO, BRANCH)).toHaveLength(3);
    expect(github.pulls(REPO)).toHaveLength(1);
    expect(github.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/pulls'))).toHaveLength(1);
    expect(github.pulls(REPO)[0]?.body).toContain('A title fixed after the review');
    expect(github.filesAt(REPO, BRANCH).get(`_posts/${POST}.md`)?.toString()).toContain(
      'A title fixed after the review',
    );
    expect(github.shapeErrors).toEqual([]);
  });

  it('keeps a commit pushed to the branch by hand, and reports a merged pull request as merged', async () => {
    await publish();
    github.pushByHand(REPO, BRANCH, 'NOTE.md', 'Reviewed.\n');
    const edited = structuredClone(roundup);
    edited.meetup.intro = 'A new opening paragraph.';
    await publish({ r: edited });
    expect(github.history(REPO, BRANCH).map((c) => c.message)).toEqual([
      `Roundup post ${POST}`,
      'By hand',
      `Roundup post ${POST}`,
      'The site',
    ]);
    github.merge(REPO, 1);
    const merged = await publish({ r: edited });
    expect(merged).toMatchObject({ changed: false, pullRequest: { number: 1, state: 'merged' } });
    expect(await gateway(github.token).pullRequest(BRANCH, 'main')).toMatchObject({ state: 'merged' });
  });

  it('a pull request closed by hand: told how to go on, and reopening it continues', async () => {
    await publish();
    github.close(REPO, 1);
    const err = await failure(publish());
    expect(err).toBeInstanceOf(PublishError);
    expect(err.reason).toBe('pull_request_closed');
    expect(err.message).toContain('Pull request #1');
    expect(err.message).toContain('reopen it on GitHub');
    github.reopen(REPO, 1);
    await expect(publish()).resolves.toMatchObject({ pullRequest: { number: 1, state: 'open' } });
    expect(github.pulls(REPO)).toHaveLength(1);
  });

  it('a refused token: told in a sentence that never holds the token', async () => {
    const wrong = 'github_pat_11WRONG999999999999999_secretvalue';
    const err = await failure(publish({ token: wrong }));
    expect(err.reason).toBe('credential_refused');
    expect(err.message).toContain('GitHub refused the token');
    expect(err.message).toContain('GITHUB_TOKEN');
    expect(err.message).not.toContain(wrong);
    expect(JSON.stringify(err)).not.toContain(wrong);
    expect(String(err.stack)).not.toContain(wrong);
  });

  it('no token configured: told which setting to give', async () => {
    const err = await failure(publish({ token: undefined }));
    expect(err.reason).toBe('credential_missing');
    expect(err.message).toContain('set GITHUB_TOKEN to a fine-grained token');
    expect(github.calls).toHaveLength(0);
  });

  it('a repository the token cannot see, an empty one, and a GitHub that cannot be reached', async () => {
    site = siteSchema.parse({ kind: 'github', repository: 'cloudnativelondon/nope' });
    const missing = await failure(
      publishPost({
        roundup,
        site,
        gateway: new GitHubSite({
          repository: 'cloudnativelondon/nope',
          token: github.token,
          apiUrl: github.apiUrl,
        }),
        photoFolder,
      }),
    );
    expect(missing.reason).toBe('not_found');
    expect(missing.message).toContain('GitHub has no repository cloudnativelondon/nope');

    site = siteSchema.parse({ kind: 'github', repository: REPO });
    github.failNext('GET', /\/git\/ref\//, 409, 'Git Repository is empty.');
    expect((await failure(publish())).message).toContain('is empty on GitHub');

    github.failNext('GET', /\/pulls$/, 503, 'Service unavailable');
    const down = await failure(publish());
    expect(down.reason).toBe('unreachable');
    expect(down.message).toContain('try again in a few minutes');
  });

  it('a branch that moved during the publish: told to press again, which continues on top of it', async () => {
    await publish();
    const edited = structuredClone(roundup);
    edited.meetup.intro = 'Changed.';
    github.failNext('PATCH', /\/git\/refs\//, 422, 'Update is not a fast forward');
    const moved = await failure(publish({ r: edited }));
    expect(moved.reason).toBe('branch_moved');
    expect(moved.message).toContain('press Publish again');
    expect(github.history(REPO, BRANCH)).toHaveLength(2);
    await expect(publish({ r: edited })).resolves.toMatchObject({ changed: true });
    expect(github.history(REPO, BRANCH)).toHaveLength(3);
    expect(github.pulls(REPO)).toHaveLength(1);
  });
});
