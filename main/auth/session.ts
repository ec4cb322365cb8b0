// Who is signed in at this desk. Other capabilities (signing, letters) read it to decide what the
// person may do and to name the actor of their audit entries; they subscribe to hear of a change
// (login, logout, an offline session becoming online). Plain state: no I/O, no Electron.
export interface SessionUser {
  /** The server's user id; the actor of this person's audit entries. */
  id: string;
  username: string;
  name: string;
  /** NIP (civil-servant number); null for accounts without one. */
  nip: string | null;
  /** Jabatan: the position is part of a civil servant's identity. */
  position: string | null;
  roles: string[];
  officeId: string | null;
  officeName: string | null;
}

export interface DeskSession {
  user: SessionUser;
  /** 'online' after a login the server answered; 'offline' after one checked against this desk's verifier. */
  mode: 'online' | 'offline';
  since: string;
}

export type SessionListener = (session: DeskSession | null) => void;

export interface SessionState {
  current(): DeskSession | null;
  /** The signed-in user, or null. */
  user(): SessionUser | null;
  set(session: DeskSession | null): void;
  /** Called after every change with the new session (null after logout); returns an unsubscribe. */
  onChange(listener: SessionListener): () => void;
}

export function createSessionState(): SessionState {
  let session: DeskSession | null = null;
  const listeners = new Set<SessionListener>();
  return {
    current: () => session,
    user: () => session?.user ?? null,
    set(next) {
      session = next;
      for (const listener of [...listeners]) listener(session);
    },
    onChange(listener) {
      listeners.add(listener);
      return () => { listeners.delete(listener); };
    },
  };
}
