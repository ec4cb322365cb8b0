// The single IPC router used by both shells (Electron's ipcMain and the browser host's WebSocket).
// It validates the request before any handler runs and the reply before it leaves, and turns every
// failure into an IpcError with a code and a Bahasa Indonesia message: never a stack trace.
import type { z } from 'zod';
import { channels, isChannel, type Channel, type InvokeResult, type ReplyOf, type RequestOf } from '../../common/ipc/index.ts';
import { AppError, fromSystemError } from '../../common/errors.ts';
import type { Logger } from '../../common/logger.ts';

export interface CallContext {
  /** Which shell delivered the call, for the logs. */
  readonly origin: 'electron' | 'browser-host' | 'test';
}

export type Handler<C extends Channel> = (request: z.output<(typeof channels)[C]['request']>, ctx: CallContext) => Promise<ReplyOf<C>> | ReplyOf<C>;
export type Handlers = { [C in Channel]: Handler<C> };

export interface Router {
  dispatch(channel: unknown, payload: unknown, ctx: CallContext): Promise<InvokeResult<Channel>>;
  /** Typed in-process call, for the shells' own use and for tests. */
  call<C extends Channel>(channel: C, payload: RequestOf<C>, ctx: CallContext): Promise<InvokeResult<C>>;
}

/** zod's own messages (English, naming types) are for engineers; the contract's are written for a clerk. */
const libraryMessage = /^(Invalid|Too (big|small)|Unrecognized|Expected)\b/;

function describeIssues(error: z.ZodError): string {
  const first = error.issues[0];
  // Field paths are internal names: they stay in the details and the log, not in the sentence.
  if (!first || libraryMessage.test(first.message)) return 'Data yang dikirim tidak sesuai. Periksa kembali isian Anda; tidak ada yang disimpan.';
  return `Data yang dikirim tidak sesuai: ${first.message}`;
}

/** What the log says of a channel that is not one: its start when it is text, else only its type (an object may refuse to be turned into text). */
function describeUnknown(channel: unknown): string {
  return typeof channel === 'string' ? channel.slice(0, 80) : `(${channel === null ? 'null' : typeof channel})`;
}

export function createRouter(handlers: Handlers, log: Logger): Router {
  /** Answers every call, whatever it carries: nothing a renderer sends may reject this promise. */
  async function dispatch(channel: unknown, payload: unknown, ctx: CallContext): Promise<InvokeResult<Channel>> {
    try {
      return await route(channel, payload, ctx);
    } catch (err) {
      log.error('ipc: call failed outside its handler', { channel: describeUnknown(channel), err });
      return { ok: false, error: new AppError('INTERNAL').toIpc() };
    }
  }

  async function route(channel: unknown, payload: unknown, ctx: CallContext): Promise<InvokeResult<Channel>> {
    if (!isChannel(channel)) {
      log.warn('ipc: unknown channel', { channel: describeUnknown(channel), origin: ctx.origin });
      return { ok: false, error: new AppError('UNKNOWN_CHANNEL').toIpc() };
    }
    const spec = channels[channel];
    const parsed = spec.request.safeParse(payload ?? {});
    if (!parsed.success) {
      return {
        ok: false,
        error: new AppError('VALIDATION', describeIssues(parsed.error), { issues: parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })) }).toIpc(),
      };
    }
    try {
      const handler = handlers[channel] as (req: unknown, ctx: CallContext) => unknown;
      const reply = await handler(parsed.data, ctx);
      const checked = spec.reply.safeParse(reply);
      if (!checked.success) {
        log.error('ipc: handler reply does not match the contract', { channel, issues: checked.error.issues });
        return { ok: false, error: new AppError('INTERNAL').toIpc() };
      }
      return { ok: true, value: checked.data } as InvokeResult<Channel>;
    } catch (err) {
      const known = err instanceof AppError ? err : fromSystemError(err);
      if (known) {
        if (known.code === 'INTERNAL' || known.code === 'STORAGE_FAILED') log.error('ipc: handler failed', { channel, err });
        return { ok: false, error: known.toIpc() };
      }
      log.error('ipc: handler threw', { channel, err });
      return { ok: false, error: new AppError('INTERNAL').toIpc() };
    }
  }
  return {
    dispatch,
    call: (channel, payload, ctx) => dispatch(channel, payload, ctx) as never,
  };
}
