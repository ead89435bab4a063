import { WebSocket } from 'ws';
import { FakeSlack, type Json } from './fake-slack';
import { FakeSocketMode } from './fake-socket-mode';
import { viewSubmissionPayload } from './slack-requests';

/** A bare client: what a Socket Mode SDK does, by hand. */
async function openUrl(slack: FakeSlack, token = slack.appToken): Promise<Json> {
  const response = await fetch(`${slack.apiUrl}apps.connections.open`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}` },
  });
  return (await response.json()) as Json;
}

interface Client {
  ws: WebSocket;
  messages: Json[];
  next(): Promise<Json>;
}

function connect(url: string): Promise<Client> {
  const ws = new WebSocket(url);
  const messages: Json[] = [];
  const listeners: Array<() => void> = [];
  ws.on('message', (data) => {
    messages.push(JSON.parse(data.toString()) as Json);
    for (const listener of listeners.splice(0)) listener();
  });
  let read = 0;
  const next = async (): Promise<Json> => {
    while (messages.length <= read) await new Promise<void>((resolve) => listeners.push(resolve));
    read += 1;
    return messages[read - 1] as Json;
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, messages, next }));
    ws.once('error', reject);
  });
}

/** Acks every envelope with the payload `answer` gives for it. */
function ackAll(client: Client, answer: (envelope: Json) => Json | undefined = () => undefined) {
  client.ws.on('message', (data) => {
    const envelope = JSON.parse(data.toString()) as Json;
    if (typeof envelope.envelope_id !== 'string') return;
    const payload = answer(envelope);
    client.ws.send(JSON.stringify({ envelope_id: envelope.envelope_id, ...(payload ? { payload } : {}) }));
  });
}

describe('the fake Slack in Socket Mode', () => {
  let slack: FakeSlack;
  let socketMode: FakeSocketMode;

  beforeEach(async () => {
    slack = await FakeSlack.start();
    socketMode = FakeSocketMode.attach(slack, { ackTimeoutMs: 1000 });
  });
  afterEach(async () => {
    await slack.stop();
  });

  it('hands an app-level token a WebSocket URL, and greets the connection with hello', async () => {
    const opened = await openUrl(slack);
    expect(opened).toMatchObject({ ok: true });
    expect(String(opened.url)).toMatch(
      /^ws:\/\/127\.0\.0\.1:\d+\/link\/\?ticket=[0-9a-f]+&app_id=A0APP00001$/,
    );
    const client = await connect(String(opened.url));
    expect(await client.next()).toEqual({
      type: 'hello',
      num_connections: 1,
      debug_info: expect.objectContaining({ host: expect.any(String) }),
      connection_info: { app_id: 'A0APP00001' },
    });
    await socketMode.waitForConnection(1);
    expect(socketMode.openCount).toBe(1);
    client.ws.close(1000);
    await socketMode.waitForClose(1);
    expect(socketMode.connections[0]).toMatchObject({ closeCode: 1000 });
  });

  it('refuses a bot token, an unknown token, a token without connections:write, and Socket Mode turned off', async () => {
    expect(await openUrl(slack, slack.botToken)).toEqual({ ok: false, error: 'not_allowed_token_type' });
    expect(await openUrl(slack, 'xapp-1-A0APP00001-0-nope')).toEqual({ ok: false, error: 'invalid_auth' });
    expect(await openUrl(slack, slack.issueAppToken(['authorizations:read']))).toEqual({
      ok: false,
      error: 'missing_scope',
      needed: 'connections:write',
      provided: 'authorizations:read',
    });
    socketMode.setEnabled(false);
    expect(await openUrl(slack)).toEqual({ ok: false, error: 'socket_mode_not_enabled' });
  });

  it('takes each ticket once', async () => {
    const { url } = await openUrl(slack);
    const first = await connect(String(url));
    await first.next();
    await expect(connect(String(url))).rejects.toThrow(/401/);
    first.ws.close();
  });

  it('delivers envelopes and resolves with the ack the client sends back', async () => {
    const client = await connect(String((await openUrl(slack)).url));
    await client.next();
    ackAll(client, (envelope) =>
      envelope.type === 'slash_commands'
        ? { text: `you said ${(envelope.payload as Json).text}` }
        : undefined,
    );

    const command = await socketMode.slashCommand({ text: 'help', triggerId: 'T.1' });
    expect(command.payload).toEqual({ text: 'you said help' });
    const delivered = client.messages.find((m) => m.type === 'slash_commands') as Json;
    expect(delivered).toMatchObject({
      accepts_response_payload: true,
      payload: { command: '/roundup', text: 'help', trigger_id: 'T.1', user_id: 'U0USER0001' },
    });
    expect(delivered.envelope_id).toBe(command.envelope_id);

    const submission = await socketMode.interactive(viewSubmissionPayload({ callbackId: 'setup' }));
    expect(submission.payload).toEqual({});
    expect(client.messages.find((m) => m.type === 'interactive')).toMatchObject({
      accepts_response_payload: true,
      payload: { type: 'view_submission', view: { callback_id: 'setup' } },
    });

    await socketMode.event(
      { type: 'app_home_opened', user: 'U0USER0001' },
      { retryAttempt: 1, retryReason: 'timeout' },
    );
    expect(client.messages.find((m) => m.type === 'events_api')).toMatchObject({
      accepts_response_payload: false,
      retry_attempt: 1,
      retry_reason: 'timeout',
      payload: { type: 'event_callback', event: { type: 'app_home_opened' } },
    });
    expect(socketMode.acks).toHaveLength(3);
    client.ws.close();
  });

  it('rejects a send with no ack in time, and a send with no connection', async () => {
    await expect(socketMode.slashCommand()).rejects.toThrow('no Socket Mode connection is open');
    const client = await connect(String((await openUrl(slack)).url));
    await client.next();
    await expect(socketMode.send({ type: 'slash_commands', payload: {} }, 50)).rejects.toThrow(/no ack/);
    client.ws.close();
  });

  it("sends Slack's disconnect message to open connections", async () => {
    const client = await connect(String((await openUrl(slack)).url));
    await client.next();
    socketMode.disconnect('refresh_requested');
    expect(await client.next()).toMatchObject({ type: 'disconnect', reason: 'refresh_requested' });
    client.ws.close();
  });

  it('refuses upgrades with an HTTP status or by closing at once, hangs them, and fails apps.connections.open', async () => {
    socketMode.refuseNext({ kind: 'status', status: 403 });
    await expect(connect(String((await openUrl(slack)).url))).rejects.toThrow(/403/);

    socketMode.refuseNext({ kind: 'close', code: 1011 });
    const closing = await connect(String((await openUrl(slack)).url));
    const code = await new Promise((resolve) => closing.ws.once('close', resolve));
    expect(code).toBe(1011);
    expect(closing.messages).toEqual([]);
    expect(socketMode.opened).toBe(0);

    socketMode.hangNext();
    const hung = new WebSocket(String((await openUrl(slack)).url), { handshakeTimeout: 200 });
    await expect(new Promise((_, reject) => hung.once('error', reject))).rejects.toThrow(/timed out/i);
    expect(socketMode.refusedUpgrades).toBe(3);

    socketMode.failOpenNext(2);
    const failing = await fetch(`${slack.apiUrl}apps.connections.open`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${slack.appToken}` },
    });
    expect(failing.status).toBe(500);
    await failing.text();
    expect(await openUrl(slack)).toMatchObject({ ok: false, error: 'internal_error' });
    expect(await openUrl(slack)).toMatchObject({ ok: true });
  });

  it('drops connections without a close frame', async () => {
    const client = await connect(String((await openUrl(slack)).url));
    await client.next();
    const closed = new Promise((resolve) => client.ws.once('close', resolve));
    await socketMode.dropAll();
    expect(await closed).toBe(1006);
    expect(socketMode.closedCount).toBe(1);
  });

  it('closes its connections when the fake stops', async () => {
    const client = await connect(String((await openUrl(slack)).url));
    await client.next();
    const closed = new Promise((resolve) => client.ws.once('close', resolve));
    await slack.stop();
    await closed;
    slack = await FakeSlack.start();
  });
});
