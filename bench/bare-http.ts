import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';

/**
 * The floor: a bare node:http server that checks Slack's signature (v0 HMAC-SHA256 of the timestamp and the
 * raw body, and a timestamp within five minutes) and answers 200 with nothing. No framework, no parsing.
 */
const secret = process.env.SLACK_SIGNING_SECRET ?? '';

function signedBySlack(req: http.IncomingMessage, body: Buffer): boolean {
  const timestamp = Number(req.headers['x-slack-request-timestamp']);
  const signature = String(req.headers['x-slack-signature'] ?? '');
  if (!Number.isInteger(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > 300) return false;
  const expected = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(body).digest('hex')}`;
  return (
    signature.length === expected.length && timingSafeEqual(Buffer.from(signature), Buffer.from(expected))
  );
}

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    if (req.method !== 'POST' || req.url !== '/slack/events') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(signedBySlack(req, Buffer.concat(chunks)) ? 200 : 401).end();
  });
});
server.listen(Number(process.env.PORT), '127.0.0.1');
process.once('SIGTERM', () => server.close(() => process.exit(0)));
