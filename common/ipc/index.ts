// The one IPC contract between the renderer and main, composed from one file per capability (each
// with its channels, the zod schema of every request and reply, its events and its error codes).
// The router validates every request and reply against it; the renderer imports it and nothing
// else of the desk. A capability adds its file and one entry in `contracts`.
import { z } from 'zod';
import type { Contract, ErrorText } from './base.ts';
import { app } from './app.ts';
import { audit } from './audit.ts';
import { auth } from './auth.ts';
import { delegation } from './delegation.ts';
import { delivery } from './delivery.ts';
import { devices } from './devices.ts';
import { disposition } from './disposition.ts';
import { documents } from './documents.ts';
import { drafting } from './drafting.ts';
import { incoming } from './incoming.ts';
import { naskah } from './naskah.ts';
import { numbering } from './numbering.ts';
import { outgoing } from './outgoing.ts';
import { paraf } from './paraf.ts';
import { scan } from './scan.ts';
import { sign } from './sign.ts';
import { storage } from './storage.ts';
import { structure } from './structure.ts';
import { sync } from './sync.ts';

const contracts = [app, storage, devices, auth, sync, audit, documents, incoming, numbering, delivery, disposition, outgoing, drafting, paraf, scan, sign, delegation, structure, naskah] as const;

type Each = (typeof contracts)[number];
type Merge<U> = (U extends unknown ? (u: U) => void : never) extends (m: infer M) => void ? M : never;
type Channels = Merge<Each['channels']>;
type Events = Merge<Each['events']>;
type Errors = Merge<Each['errors']>;

/** Merges the capabilities' maps; a name declared by two capabilities is a programming error. */
function merge<T>(part: (c: Contract) => Record<string, unknown>): T {
  const out: Record<string, unknown> = {};
  for (const contract of contracts) {
    for (const [name, value] of Object.entries(part(contract))) {
      if (Object.hasOwn(out, name)) throw new Error(`the IPC contract declares ${name} twice`);
      out[name] = value;
    }
  }
  return out as T;
}

/** Every channel the renderer may invoke. Adding one forces a handler (see main/ipc/router.ts). */
export const channels: Channels = merge((c) => c.channels);
/** Events main pushes to the renderer. */
export const events: Events = merge((c) => c.events);
/** Every error code with what a person reads for it, in Bahasa Indonesia and English. */
export const errorTexts: Errors = merge((c) => c.errors);

export type Channel = keyof Channels & string;
export type RequestOf<C extends Channel> = z.input<Channels[C]['request']>;
export type ReplyOf<C extends Channel> = z.output<Channels[C]['reply']>;
export type EventName = keyof Events & string;
export type EventOf<E extends EventName> = z.output<Events[E]>;

export type ErrorCode = keyof Errors & string;
const textByCode = new Map<string, ErrorText>(Object.entries(errorTexts));
/** The texts of an error code; undefined for a code this contract does not know (sent by a newer main). */
export function textsOf(code: string): ErrorText | undefined {
  return textByCode.get(code);
}
const codes = Object.keys(errorTexts) as [ErrorCode, ...ErrorCode[]];
export const ErrorCodeSchema = z.enum(codes);

export const IpcErrorSchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type IpcError = z.infer<typeof IpcErrorSchema>;

export type InvokeResult<C extends Channel> = { ok: true; value: ReplyOf<C> } | { ok: false; error: IpcError };

/** What the preload (Electron) or the WebSocket bridge (browser host) exposes as window.loket. */
export interface LoketBridge {
  invoke<C extends Channel>(channel: C, payload: RequestOf<C>): Promise<InvokeResult<C>>;
  on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void;
}

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && Object.hasOwn(channels, value);
}
