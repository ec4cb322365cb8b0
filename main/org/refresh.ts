// Keeps the office's structure on the desk: GET /org after a sync round reaches the server (at most
// once a minute, at once when none is kept yet), stored whole by the store's org repository so
// disposing and the personal to-do work offline. A failed refresh keeps the structure kept before.
import { OrgReply } from '../../common/protocol/org.ts';
import type { Logger } from '../../common/logger.ts';
import type { ServerClient } from '../remote/client.ts';
import type { Store } from '../store/store.ts';

const refreshEveryMs = 60_000;

export interface OrganisationRefresher {
  /** Fetches and keeps the structure unless it was fetched within the last minute (`force`: now). */
  refresh(client: ServerClient, token: string, officeId: string, force?: boolean): Promise<void>;
}

export function organisationRefresher(store: Store, log: Logger, now: () => number = Date.now): OrganisationRefresher {
  let lastAt = Number.NEGATIVE_INFINITY;
  return {
    async refresh(client, token, officeId, force = false) {
      if (!force && store.org.known() && now() - lastAt < refreshEveryMs) return;
      try {
        const org = await client.json('GET', '/org', OrgReply, { token, timeoutMs: 10_000 });
        store.org.replace(officeId, org);
        lastAt = now();
      } catch (err) {
        log.info('org: structure not refreshed, keeping the one on this desk', { code: (err as { code?: unknown }).code });
      }
    },
  };
}
