// The desk's audit key, kept in the keychain (sealed by the OS keychain in Electron: Windows DPAPI,
// macOS Keychain, libsecret — main/electron/keychain.ts; a 0600 file in the browser host): 32 random
// bytes, the entry from which the chain uses them, and the newest entry this desk last saw in a whole
// chain. Sealed together, none of them can be changed by someone who can only write the database file.
import { randomBytes } from 'node:crypto';
import type { Keychain } from '../auth/keychain.ts';
import type { ChainHead, ChainKey } from './chain.ts';

export interface SealedAuditKey extends ChainKey {
  /** The newest entry this desk has seen in a whole chain: the log may grow past it, never lose or replace it. */
  seen: ChainHead;
}

/** Where the store keeps its audit key; load() is undefined when there is none or it cannot be opened here. */
export interface AuditKeyStore {
  load(): SealedAuditKey | undefined;
  save(key: SealedAuditKey): void;
}

export function newAuditKey(since: number, seen: ChainHead, uncheckable?: ChainKey['uncheckable']): SealedAuditKey {
  return { key: new Uint8Array(randomBytes(32)), since, seen, ...(uncheckable ? { uncheckable } : {}) };
}

interface Stored { v: 1; key: string; since: number; seen: ChainHead; uncheckable?: { from: number; to: number } }

const entryName = 'audit-key';

export function keychainAuditKeys(keychain: Keychain): AuditKeyStore {
  return {
    load() {
      let raw: string | undefined;
      try {
        raw = keychain.get(entryName);
      } catch {
        // Sealed by another computer's or user's keychain (the data folder was moved): not openable here.
        return undefined;
      }
      if (raw === undefined) return undefined;
      let stored: Partial<Stored>;
      try {
        stored = JSON.parse(raw) as Partial<Stored>;
      } catch {
        return undefined;
      }
      const key = Buffer.from(stored.key ?? '', 'base64');
      const seen = stored.seen;
      if (stored.v !== 1 || key.length !== 32 || !Number.isInteger(stored.since) || !Number.isInteger(seen?.seq) || typeof seen?.hash !== 'string') return undefined;
      return { key: new Uint8Array(key), since: stored.since!, seen: { seq: seen!.seq, hash: seen!.hash }, ...(stored.uncheckable ? { uncheckable: stored.uncheckable } : {}) };
    },
    save(k) {
      const stored: Stored = { v: 1, key: Buffer.from(k.key).toString('base64'), since: k.since, seen: k.seen, ...(k.uncheckable ? { uncheckable: k.uncheckable } : {}) };
      keychain.set(entryName, JSON.stringify(stored));
    },
  };
}
