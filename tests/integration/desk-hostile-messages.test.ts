// The desk under hostile messages: Loket started as `npm start` starts it (browser host, real core
// in its own process), then fed what a buggy or malicious page on this machine could send through the
// IPC socket. Whatever arrives, the process stays up and the next honest call is answered.
import WebSocket from 'ws';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { startDesk, type RunningDesk } from '../support/desk.ts';

let desk: RunningDesk | undefined;
let cookie: string;

// One desk for the file; a test that brought it down (the old behaviour) does not take the next test with it.
beforeEach(async () => {
  if (desk && (await fetch(desk.origin).then(() => true, () => false))) return;
  await desk?.stop();
  desk = await startDesk();
  const reply = await fetch(desk.launchUrl, { redirect: 'manual' });
  cookie = (reply.headers.get('set-cookie') ?? '').split(';')[0]!;
  expect(cookie).toMatch(/^loket_session=/);
});
afterAll(async () => {
  await desk?.stop();
});

function open(): Promise<WebSocket> {
  const ws = new WebSocket(`${desk!.origin.replace('http', 'ws')}/ipc`, { headers: { Cookie: cookie, Origin: desk!.origin }, maxPayload: 0 });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** Sends one frame and waits for the reply with `id`, or for the socket to close. */
function exchange(ws: WebSocket, frame: string | Buffer, id?: number): Promise<{ reply?: { result: { ok: boolean; error?: { code: string; message: string } } }; closed?: number }> {
  return new Promise((resolve) => {
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString()) as { kind: string; id?: number; result: { ok: boolean } };
      if (msg.kind === 'reply' && msg.id === id) resolve({ reply: msg as never });
    });
    ws.once('close', (code) => resolve({ closed: code }));
    ws.on('error', () => {});
    ws.send(frame);
  });
}

/** The desk process is alive and a fresh socket gets an honest answer. */
async function stillAnswers(): Promise<void> {
  expect(desk!.process.exitCode, 'the desk process exited').toBeNull();
  const ws = await open();
  const { reply } = await exchange(ws, JSON.stringify({ kind: 'invoke', id: 7, channel: 'app.info', payload: {} }), 7);
  expect(reply?.result.ok).toBe(true);
  ws.close();
}

describe('the desk survives any message on its IPC socket', () => {
  it('a frame over the socket limit closes that socket (1009), not the desk', async () => {
    const ws = await open();
    const huge = JSON.stringify({ kind: 'invoke', id: 1, channel: 'sign.validate', payload: { pdf: 'A'.repeat(9 * 1024 * 1024), fileName: 'besar.pdf' } });
    const { closed } = await exchange(ws, huge, 1);
    expect(closed).toBe(1009);
    await new Promise((r) => setTimeout(r, 300));
    await stillAnswers();
  });

  it('an invoke frame whose channel is an object is answered as an unknown channel', async () => {
    const ws = await open();
    const { reply } = await exchange(ws, '{"kind":"invoke","id":1,"channel":{"toString":1},"payload":{}}', 1);
    expect(reply?.result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    ws.close();
    await new Promise((r) => setTimeout(r, 300));
    await stillAnswers();
  });

  it('payloads shaped to trip the router (getters, prototypes, deep nesting) are answered, one by one', async () => {
    const ws = await open();
    const frames = [
      '{"kind":"invoke","id":2,"channel":"settings.update","payload":{"__proto__":{"deskName":"x"}}}',
      '{"kind":"invoke","id":3,"channel":"letters.search","payload":' + '['.repeat(5000) + ']'.repeat(5000) + '}',
      '{"kind":"invoke","id":4,"channel":"constructor","payload":{}}',
      '{"kind":"invoke","id":5,"channel":"__proto__","payload":{}}',
      '{"kind":"invoke","id":6,"channel":["app.info"],"payload":{}}',
    ];
    for (const [i, frame] of frames.entries()) {
      const { reply } = await exchange(ws, frame, i + 2);
      expect(reply?.result.ok, frame.slice(0, 60)).toBe(false);
    }
    ws.close();
    await stillAnswers();
  });

  it('a malformed address with the session cookie is refused as a bad request, not a server error', async () => {
    const reply = await fetch(`${desk!.origin}/%E0%A4%A`, { headers: { Cookie: cookie } });
    expect(reply.status).toBe(400);
    await stillAnswers();
  });
});
