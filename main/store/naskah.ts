// The office's kop and templates as this desk keeps them: each version the change feed brought
// ('naskah' rows in remote_entities) is kept whole here once its logo's bytes are on the desk, never
// changed afterwards. The newest kept version is what new drafts start with; a draft renders with the
// version it names. Nothing here is pushed: the admin kantor saves through the server.
import { z } from 'zod';
import { NaskahVersionData } from '../../common/protocol/naskah.ts';
import { TemplateSchema, type Letterhead, type Template } from '../../common/ipc/drafting.ts';
import { NaskahLetterhead } from '../../common/protocol/naskah.ts';
import type { RepositoryContext } from './store.ts';

/** A version kept on this desk, its letterhead ready to render (the logo as base64). */
export interface KeptNaskah {
  id: string;
  officeId: string;
  version: number;
  letterhead: Letterhead;
  templates: Template[];
}

export interface NaskahRepository {
  /** Versions the feed brought that are not kept yet (their logo still to download), oldest first. */
  waiting(): NaskahVersionData[];
  /** Keeps a version with its logo's bytes (null: it has none). */
  keep(version: NaskahVersionData, logo: Buffer | null): void;
  /** The office's newest kept version; undefined while it uses the shipped defaults. */
  latest(officeId: string | null): KeptNaskah | undefined;
  get(id: string): KeptNaskah | undefined;
}

interface Row { id: string; office_id: string; version: number; letterhead: string; templates: string; logo: Buffer | null }

export function naskahRepository(ctx: RepositoryContext): NaskahRepository {
  const { db } = ctx;
  const selectWaiting = db.prepare(`SELECT data FROM remote_entities WHERE entity = 'naskah'
    AND entity_id NOT IN (SELECT id FROM naskah_versions) ORDER BY seq`).pluck();
  const insert = db.prepare(`INSERT INTO naskah_versions (id, office_id, version, letterhead, templates, logo, received_at)
    VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`);
  const columns = 'id, office_id, version, letterhead, templates, logo';
  const selectLatest = db.prepare(`SELECT ${columns} FROM naskah_versions WHERE office_id = coalesce(?, office_id) ORDER BY version DESC, rowid DESC LIMIT 1`);
  const selectOne = db.prepare(`SELECT ${columns} FROM naskah_versions WHERE id = ?`);

  const kept = (row: Row | undefined): KeptNaskah | undefined => {
    if (row === undefined) return undefined;
    const { logoSha256: _sha, ...lines } = NaskahLetterhead.parse(JSON.parse(row.letterhead));
    return {
      id: row.id, officeId: row.office_id, version: row.version,
      letterhead: { ...lines, logo: row.logo === null ? null : row.logo.toString('base64') },
      templates: z.array(TemplateSchema).parse(JSON.parse(row.templates)),
    };
  };

  return {
    waiting() {
      return (selectWaiting.all() as string[]).flatMap((data) => {
        const parsed = NaskahVersionData.safeParse(JSON.parse(data));
        if (!parsed.success) ctx.log.warn('naskah: a version of the feed is not understood');
        return parsed.success ? [parsed.data] : [];
      });
    },
    keep(v, logo) {
      insert.run(v.id, v.officeId, v.version, JSON.stringify(v.letterhead), JSON.stringify(v.templates), logo, ctx.now().toISOString());
    },
    latest: (officeId) => kept(selectLatest.get(officeId) as Row | undefined),
    get: (id) => kept(selectOne.get(id) as Row | undefined),
  };
}
