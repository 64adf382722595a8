#!/usr/bin/env node
// An example agent backend for Herald: it streams back what it is told,
// word by word, as NDJSON ({"content":"…"} per line). No dependencies.
//
//   node examples/echo-agent.mjs            # http://127.0.0.1:9000/chat
//   PORT=9100 node examples/echo-agent.mjs  # another port (0 picks a free one)
//
// Herald POSTs {message, session_id, context, user, agent, task_id} for each
// message, and {type: "session_end", session_id, …} when the connection that
// opened the session closes.
import { createServer } from 'node:http';

const port = Number(process.env.PORT ?? 9000);
const host = process.env.HOST ?? '127.0.0.1';
/** Pause between words, ms, so the stream is visible in a UI. */
const wordDelayMs = Number(process.env.WORD_DELAY_MS ?? 60);
/** Messages seen per session, to show that a session carries over. */
const sessions = new Map();

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function readJson(req) {
  let text = '';
  for await (const chunk of req) text += chunk;
  return JSON.parse(text || '{}');
}

const server = createServer(async (req, res) => {
  if (req.method !== 'POST' || req.url !== '/chat') {
    res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'POST /chat' }));
    return;
  }
  let body;
  try {
    body = await readJson(req);
  } catch {
    res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'the body is not JSON' }));
    return;
  }
  if (body.type === 'session_end') {
    sessions.delete(body.session_id);
    console.log(`session ${body.session_id} ended`);
    res.writeHead(204).end();
    return;
  }
  if (typeof body.message !== 'string') {
    res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'message must be a string' }));
    return;
  }
  const turn = (sessions.get(body.session_id) ?? 0) + 1;
  sessions.set(body.session_id, turn);
  console.log(`${body.user} (session ${body.session_id}, turn ${turn}): ${body.message}`);
  let isGone = false;
  res.on('close', () => (isGone = !res.writableFinished));
  res.writeHead(200, { 'content-type': 'application/x-ndjson' });
  const words = `You said: ${body.message}`.split(/(?<= )/);
  for (const word of words) {
    if (isGone) return;
    res.write(`${JSON.stringify({ content: word })}\n`);
    await sleep(wordDelayMs);
  }
  res.end(`${JSON.stringify({ result: { words: words.length, turn } })}\n`);
});

server.listen(port, host, () => {
  const { port: bound } = server.address();
  console.log(`echo agent listening on http://${host}:${bound}/chat`);
});
process.on('SIGINT', () => server.close(() => process.exit(0)));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
