// Where the desk keeps secrets that must survive a restart (the refresh token of each person who
// signed in here). In Electron the values are sealed by the OS keychain through safeStorage
// (main/electron/keychain.ts supplies the codec); the browser host has no keychain, so the file
// alone protects them: owner-only permissions (0600), written atomically.
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

export interface Keychain {
  get(name: string): string | undefined;
  set(name: string, value: string): void;
  delete(name: string): void;
}

/** Seals and opens a value; the identity codec leaves protection to the file's permissions. */
export interface SecretCodec {
  seal(value: string): string;
  open(sealed: string): string;
}

const identity: SecretCodec = { seal: (v) => v, open: (v) => v };

export function fileKeychain(file: string, codec: SecretCodec = identity): Keychain {
  function load(): Record<string, string> {
    if (!existsSync(file)) return {};
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  }
  function save(values: Record<string, string>): void {
    const tmp = `${file}.tmp`;
    writeFileSync(tmp, JSON.stringify(values), { mode: 0o600 });
    chmodSync(tmp, 0o600); // an existing tmp keeps its old mode through writeFileSync
    renameSync(tmp, file);
  }
  return {
    get(name) {
      const sealed = load()[name];
      return sealed === undefined ? undefined : codec.open(sealed);
    },
    set(name, value) {
      save({ ...load(), [name]: codec.seal(value) });
    },
    delete(name) {
      const values = load();
      if (!(name in values)) return;
      delete values[name];
      save(values);
    },
  };
}
