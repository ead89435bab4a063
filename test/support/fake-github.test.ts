import { FakeGitHub } from './fake-github';

describe('the fake GitHub REST API', () => {
  let github: FakeGitHub;
  beforeEach(async () => {
    github = await FakeGitHub.start();
    github.addRepo('o/r', { 'a.md': 'a\n' });
  });
  afterEach(() => github.stop());

  const call = (method: string, path: string, body?: unknown, token = github.token) =>
    fetch(`${github.apiUrl}${path}`, {
      method,
      headers: { authorization: `token ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('answers 401 Bad credentials to a wrong token, as GitHub does', async () => {
    const res = await call('GET', '/repos/o/r', undefined, 'nope');
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ message: 'Bad credentials' });
  });

  it('refuses requests in shapes GitHub documents as invalid, and records them', async () => {
    expect((await call('POST', '/repos/o/r/git/refs', { ref: 'heads/x', sha: 'a'.repeat(40) })).status).toBe(
      422,
    );
    expect(
      (await call('POST', '/repos/o/r/git/trees', { tree: [{ path: 'x', mode: '644', type: 'blob' }] }))
        .status,
    ).toBe(422);
    expect((await call('POST', '/repos/o/r/git/blobs', { content: 'x', encoding: 'hex' })).status).toBe(422);
    expect((await call('GET', '/repos/o/r/pulls?head=branch-without-owner')).status).toBe(422);
    expect(github.shapeErrors).toHaveLength(4);
  });

  it('refuses a ref update that is not a fast-forward, and fails on demand', async () => {
    const main = (await (await call('GET', '/repos/o/r/git/ref/heads/main')).json()) as {
      object: { sha: string };
    };
    const tree = (await (await call('POST', '/repos/o/r/git/trees', { tree: [] })).json()) as { sha: string };
    const orphan = (await (
      await call('POST', '/repos/o/r/git/commits', { message: 'm', tree: tree.sha, parents: [] })
    ).json()) as {
      sha: string;
    };
    const res = await call('PATCH', '/repos/o/r/git/refs/heads/main', { sha: orphan.sha, force: false });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ message: 'Update is not a fast forward' });
    expect(main.object.sha).toMatch(/^[0-9a-f]{40}$/);

    github.failNext('GET', /\/pulls$/, 404, 'Not Found');
    expect((await call('GET', '/repos/o/r/pulls')).status).toBe(404);
    expect((await call('GET', '/repos/o/r/pulls')).status).toBe(200);
    expect(github.shapeErrors).toEqual([]);
  });
});
