import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local fake of the part of GitHub's REST API that publishing uses, written from GitHub's REST reference:
 * git blobs, trees, commits and refs, pull requests, and the repository itself. It keeps a real object
 * graph (blobs hashed as git hashes them, trees as flat path maps), checks every request's shape against
 * the documented one (a wrong shape answers 422, as GitHub does, and is recorded in `shapeErrors`), checks
 * the token, records every call, and fails on demand with any status.
 */

export interface GitHubCall {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  status: number;
}

interface Commit {
  sha: string;
  tree: string;
  parents: string[];
  message: string;
}

interface Pull {
  number: number;
  title: string;
  body: string;
  head: string;
  base: string;
  state: 'open' | 'closed';
  merged: boolean;
}

interface Repo {
  owner: string;
  name: string;
  blobs: Map<string, Buffer>;
  /** tree sha -> path -> blob sha */
  trees: Map<string, Map<string, string>>;
  commits: Map<string, Commit>;
  refs: Map<string, string>;
  pulls: Pull[];
}

interface Failure {
  method: string;
  pattern: RegExp;
  status: number;
  message: string;
  times: number;
}

const SHA = /^[0-9a-f]{40}$/;

function sha1(text: string | Buffer): string {
  return createHash('sha1').update(text).digest('hex');
}

export class FakeGitHub {
  readonly calls: GitHubCall[] = [];
  /** Requests whose shape GitHub's reference would refuse: a test expects this to stay empty. */
  readonly shapeErrors: string[] = [];
  private readonly repos = new Map<string, Repo>();
  private readonly failures: Failure[] = [];
  private nextPull = 1;

  private constructor(
    private readonly server: http.Server,
    readonly apiUrl: string,
    readonly token: string,
  ) {}

  static async start(o: { token?: string } = {}): Promise<FakeGitHub> {
    const token = o.token ?? 'github_pat_11FAKE0000000000000000_faketokenvalue';
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const fake = new FakeGitHub(server, url, token);
    server.on('request', (req, res) => void fake.handle(req, res));
    return fake;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** A repository with one commit holding `files` on `branch`. */
  addRepo(fullName: string, files: Record<string, string> = {}, branch = 'main'): void {
    const [owner = '', name = ''] = fullName.split('/');
    const repo: Repo = {
      owner,
      name,
      blobs: new Map(),
      trees: new Map(),
      commits: new Map(),
      refs: new Map(),
      pulls: [],
    };
    this.repos.set(fullName.toLowerCase(), repo);
    if (Object.keys(files).length === 0 && branch === '') return;
    const tree = new Map<string, string>();
    for (const [path, text] of Object.entries(files)) tree.set(path, this.storeBlob(repo, Buffer.from(text)));
    const treeSha = this.storeTree(repo, tree);
    const commit = this.storeCommit(repo, { tree: treeSha, parents: [], message: 'The site' });
    repo.refs.set(`refs/heads/${branch}`, commit);
  }

  /** The next `times` calls matching `method` and `pattern` (on the path) answer `status`. */
  failNext(method: string, pattern: RegExp, status: number, message = 'Failed', times = 1): void {
    this.failures.push({ method, pattern, status, message, times });
  }

  /** The files at a branch, as text. */
  filesAt(fullName: string, branch: string): Map<string, Buffer> {
    const repo = this.repo(fullName);
    const head = repo.refs.get(`refs/heads/${branch}`);
    const commit = head ? repo.commits.get(head) : undefined;
    const tree = commit ? repo.trees.get(commit.tree) : undefined;
    return new Map(
      [...(tree ?? new Map<string, string>())].map(([p, b]) => [p, repo.blobs.get(b) as Buffer]),
    );
  }

  /** The commits of a branch, newest first. */
  history(fullName: string, branch: string): Commit[] {
    const repo = this.repo(fullName);
    const out: Commit[] = [];
    let sha = repo.refs.get(`refs/heads/${branch}`);
    while (sha) {
      const commit = repo.commits.get(sha) as Commit;
      out.push(commit);
      sha = commit.parents[0];
    }
    return out;
  }

  pulls(fullName: string): Pull[] {
    return this.repo(fullName).pulls;
  }

  /** Merge a pull request as a person would on GitHub. */
  merge(fullName: string, number: number): void {
    const pull = this.repo(fullName).pulls.find((p) => p.number === number);
    if (pull) Object.assign(pull, { state: 'closed', merged: true });
  }

  close(fullName: string, number: number): void {
    const pull = this.repo(fullName).pulls.find((p) => p.number === number);
    if (pull) pull.state = 'closed';
  }

  reopen(fullName: string, number: number): void {
    const pull = this.repo(fullName).pulls.find((p) => p.number === number);
    if (pull) pull.state = 'open';
  }

  /** Move a branch to a new commit of its own, as someone pushing to it by hand. */
  pushByHand(fullName: string, branch: string, path: string, text: string): void {
    const repo = this.repo(fullName);
    const head = repo.refs.get(`refs/heads/${branch}`) as string;
    const parent = repo.commits.get(head) as Commit;
    const tree = new Map(repo.trees.get(parent.tree));
    tree.set(path, this.storeBlob(repo, Buffer.from(text)));
    const commit = this.storeCommit(repo, {
      tree: this.storeTree(repo, tree),
      parents: [head],
      message: 'By hand',
    });
    repo.refs.set(`refs/heads/${branch}`, commit);
  }

  // -------------------------------------------------------------------------------------------------------

  private repo(fullName: string): Repo {
    const repo = this.repos.get(fullName.toLowerCase());
    if (!repo) throw new Error(`no repository ${fullName} in the fake`);
    return repo;
  }

  private storeBlob(repo: Repo, bytes: Buffer): string {
    const sha = sha1(Buffer.concat([Buffer.from(`blob ${bytes.length}\0`), bytes]));
    repo.blobs.set(sha, bytes);
    return sha;
  }

  private storeTree(repo: Repo, tree: Map<string, string>): string {
    const sha = sha1(`tree ${JSON.stringify([...tree].sort())}`);
    repo.trees.set(sha, tree);
    return sha;
  }

  private storeCommit(repo: Repo, c: Omit<Commit, 'sha'>): string {
    const sha = sha1(`commit ${JSON.stringify(c)} ${repo.commits.size}`);
    repo.commits.set(sha, { sha, ...c });
    return sha;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', this.apiUrl);
    const method = req.method ?? 'GET';
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    const call: GitHubCall = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body,
      status: 0,
    };
    this.calls.push(call);
    const send = (status: number, data: unknown) => {
      call.status = status;
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(data));
    };
    const auth = req.headers.authorization ?? '';
    if (auth !== `token ${this.token}` && auth !== `Bearer ${this.token}`) {
      return send(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
    }
    const failure = this.failures.find((f) => f.method === method && f.pattern.test(url.pathname));
    if (failure) {
      failure.times -= 1;
      if (failure.times <= 0) this.failures.splice(this.failures.indexOf(failure), 1);
      return send(failure.status, { message: failure.message });
    }
    try {
      const [status, data] = this.route(method, url, body as Record<string, unknown> | undefined);
      send(status, data);
    } catch (err) {
      send(500, { message: String(err) });
    }
  }

  /** A shape GitHub's reference refuses: recorded, and answered as GitHub does. */
  private invalid(what: string): [number, unknown] {
    this.shapeErrors.push(what);
    return [422, { message: 'Invalid request.', errors: [what] }];
  }

  private route(method: string, url: URL, body: Record<string, unknown> | undefined): [number, unknown] {
    const m = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(url.pathname);
    if (!m) return [404, { message: 'Not Found' }];
    const repo = this.repos.get(`${m[1]}/${m[2]}`.toLowerCase());
    if (!repo) return [404, { message: 'Not Found' }];
    const rest = m[3] ?? '';
    const b = body ?? {};
    const str = (k: string) => typeof b[k] === 'string';
    const api = `${this.apiUrl}/repos/${repo.owner}/${repo.name}`;

    if (method === 'GET' && rest === '') {
      return [
        200,
        { id: 1, name: repo.name, full_name: `${repo.owner}/${repo.name}`, default_branch: 'main' },
      ];
    }

    // Git refs: GET /git/ref/{ref}, POST /git/refs, PATCH /git/refs/{ref}
    let r = /^\/git\/ref\/(.+)$/.exec(rest);
    if (method === 'GET' && r) {
      const ref = `refs/${decodeURIComponent(r[1] ?? '')}`;
      const sha = repo.refs.get(ref);
      if (!sha) return [404, { message: 'Not Found' }];
      return [
        200,
        { ref, url: `${api}/git/${ref}`, object: { type: 'commit', sha, url: `${api}/git/commits/${sha}` } },
      ];
    }
    if (method === 'POST' && rest === '/git/refs') {
      if (!str('ref') || !str('sha'))
        return this.invalid('create a reference: ref and sha are required strings');
      const ref = b.ref as string;
      if (!/^refs\/.+\/.+/.test(ref))
        return this.invalid('create a reference: ref must start with refs/ and have two slashes');
      if (repo.refs.has(ref)) return [422, { message: 'Reference already exists' }];
      if (!repo.commits.has(b.sha as string)) return [422, { message: 'Object does not exist' }];
      repo.refs.set(ref, b.sha as string);
      return [201, { ref, object: { type: 'commit', sha: b.sha } }];
    }
    r = /^\/git\/refs\/(.+)$/.exec(rest);
    if (method === 'PATCH' && r) {
      if (!str('sha')) return this.invalid('update a reference: sha is a required string');
      if (b.force !== undefined && typeof b.force !== 'boolean')
        return this.invalid('update a reference: force is a boolean');
      const ref = `refs/${decodeURIComponent(r[1] ?? '')}`;
      const current = repo.refs.get(ref);
      if (!current) return [422, { message: 'Reference does not exist' }];
      if (!b.force && !this.descends(repo, b.sha as string, current)) {
        return [422, { message: 'Update is not a fast forward' }];
      }
      repo.refs.set(ref, b.sha as string);
      return [200, { ref, object: { type: 'commit', sha: b.sha } }];
    }

    // Git commits, blobs, trees
    r = /^\/git\/commits\/([0-9a-f]+)$/.exec(rest);
    if (method === 'GET' && r) {
      const commit = repo.commits.get(r[1] ?? '');
      if (!commit) return [404, { message: 'Not Found' }];
      return [
        200,
        {
          sha: commit.sha,
          message: commit.message,
          tree: { sha: commit.tree, url: `${api}/git/trees/${commit.tree}` },
          parents: commit.parents.map((sha) => ({ sha, url: `${api}/git/commits/${sha}` })),
        },
      ];
    }
    if (method === 'POST' && rest === '/git/commits') {
      if (!str('message') || !str('tree'))
        return this.invalid('create a commit: message and tree are required strings');
      if (
        b.parents !== undefined &&
        (!Array.isArray(b.parents) || !b.parents.every((p) => typeof p === 'string' && SHA.test(p)))
      ) {
        return this.invalid('create a commit: parents is an array of commit SHAs');
      }
      if (!repo.trees.has(b.tree as string)) return [422, { message: 'Tree SHA does not exist' }];
      const parents = (b.parents as string[] | undefined) ?? [];
      if (!parents.every((p) => repo.commits.has(p))) return [422, { message: 'Parent SHA does not exist' }];
      const sha = this.storeCommit(repo, { tree: b.tree as string, parents, message: b.message as string });
      return [
        201,
        { sha, tree: { sha: b.tree }, parents: parents.map((p) => ({ sha: p })), message: b.message },
      ];
    }
    if (method === 'POST' && rest === '/git/blobs') {
      if (!str('content')) return this.invalid('create a blob: content is a required string');
      if (b.encoding !== undefined && b.encoding !== 'utf-8' && b.encoding !== 'base64') {
        return this.invalid('create a blob: encoding is utf-8 or base64');
      }
      const bytes = Buffer.from(b.content as string, b.encoding === 'base64' ? 'base64' : 'utf8');
      const sha = this.storeBlob(repo, bytes);
      return [201, { sha, url: `${api}/git/blobs/${sha}` }];
    }
    if (method === 'POST' && rest === '/git/trees') {
      if (!Array.isArray(b.tree)) return this.invalid('create a tree: tree is a required array');
      if (b.base_tree !== undefined && !(typeof b.base_tree === 'string' && SHA.test(b.base_tree))) {
        return this.invalid('create a tree: base_tree is a tree SHA');
      }
      const base = b.base_tree ? repo.trees.get(b.base_tree as string) : new Map<string, string>();
      if (!base) return [422, { message: 'base_tree is not a valid tree oid' }];
      const tree = new Map(base);
      for (const entry of b.tree as Array<Record<string, unknown>>) {
        const { path, mode, type, sha } = entry;
        if (typeof path !== 'string' || path.startsWith('/') || path.split('/').includes('..')) {
          return this.invalid('create a tree: each entry has a relative path');
        }
        if (!['100644', '100755', '040000', '160000', '120000'].includes(String(mode))) {
          return this.invalid('create a tree: mode is one of 100644, 100755, 040000, 160000, 120000');
        }
        if (!['blob', 'tree', 'commit'].includes(String(type)))
          return this.invalid('create a tree: type is blob, tree or commit');
        if (typeof sha !== 'string' || !repo.blobs.has(sha))
          return [422, { message: 'tree.sha is not a valid blob' }];
        tree.set(path, sha);
      }
      const sha = this.storeTree(repo, tree);
      return [
        201,
        { sha, url: `${api}/git/trees/${sha}`, tree: [...tree].map(([path, s]) => ({ path, sha: s })) },
      ];
    }

    // Pull requests
    const pullJson = (p: Pull) => ({
      number: p.number,
      url: `${api}/pulls/${p.number}`,
      html_url: `https://github.example/${repo.owner}/${repo.name}/pull/${p.number}`,
      state: p.state,
      title: p.title,
      body: p.body,
      merged: p.merged,
      merged_at: p.merged ? '2026-01-01T00:00:00Z' : null,
      head: { ref: p.head, label: `${repo.owner}:${p.head}` },
      base: { ref: p.base },
    });
    if (method === 'GET' && rest === '/pulls') {
      const q = url.searchParams;
      const state = q.get('state') ?? 'open';
      if (!['open', 'closed', 'all'].includes(state))
        return this.invalid('list pull requests: state is open, closed or all');
      const head = q.get('head');
      if (head !== null && !/^[^:]+:.+$/.test(head))
        return this.invalid('list pull requests: head is user:ref-name');
      const found = repo.pulls.filter(
        (p) =>
          (state === 'all' || p.state === state) &&
          (head === null || `${repo.owner}:${p.head}` === head) &&
          (q.get('base') === null || p.base === q.get('base')),
      );
      return [200, found.map(pullJson)];
    }
    if (method === 'POST' && rest === '/pulls') {
      if (!str('head') || !str('base'))
        return this.invalid('create a pull request: head and base are required strings');
      if (!str('title')) return this.invalid('create a pull request: title is required (or issue)');
      if (b.body !== undefined && typeof b.body !== 'string')
        return this.invalid('create a pull request: body is a string');
      const head = b.head as string;
      if (!repo.refs.has(`refs/heads/${head}`))
        return [422, { message: 'Validation Failed', errors: [{ field: 'head', code: 'invalid' }] }];
      if (repo.pulls.some((p) => p.head === head && p.base === b.base && p.state === 'open')) {
        return [422, { message: `A pull request already exists for ${repo.owner}:${head}.` }];
      }
      const pull: Pull = {
        number: this.nextPull++,
        title: b.title as string,
        body: (b.body as string | undefined) ?? '',
        head,
        base: b.base as string,
        state: 'open',
        merged: false,
      };
      repo.pulls.push(pull);
      return [201, pullJson(pull)];
    }
    r = /^\/pulls\/(\d+)$/.exec(rest);
    if (r) {
      const pull = repo.pulls.find((p) => p.number === Number(r?.[1]));
      if (!pull) return [404, { message: 'Not Found' }];
      if (method === 'GET') return [200, pullJson(pull)];
      if (method === 'PATCH') {
        for (const k of ['title', 'body'] as const) {
          if (b[k] !== undefined && typeof b[k] !== 'string')
            return this.invalid(`update a pull request: ${k} is a string`);
        }
        if (b.state !== undefined && b.state !== 'open' && b.state !== 'closed')
          return this.invalid('update a pull request: state is open or closed');
        if (typeof b.title === 'string') pull.title = b.title;
        if (typeof b.body === 'string') pull.body = b.body;
        return [200, pullJson(pull)];
      }
    }
    return [404, { message: 'Not Found' }];
  }

  private descends(repo: Repo, sha: string, ancestor: string): boolean {
    const seen = new Set<string>();
    const stack = [sha];
    while (stack.length > 0) {
      const next = stack.pop() as string;
      if (next === ancestor) return true;
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(...(repo.commits.get(next)?.parents ?? []));
    }
    return false;
  }
}
