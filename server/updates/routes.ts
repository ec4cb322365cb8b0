// The desks' update feed: an electron-updater "generic" provider is a plain folder of files —
// latest.yml (latest-linux.yml, …), the installers and their .blockmap files — served here from the
// configured `updates.dir`. No sign-in: the feed holds nothing secret, and electron-updater checks
// each download against the SHA-512 in latest.yml (and, on Windows, the installer's signature).
// Ranges are honoured because electron-updater fetches only the changed blocks of an installer.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ApiError } from '../http/errors.ts';
import { parse, type Context } from '../http/context.ts';

/** One file of the folder, never a path: no slash, no leading dot. */
const FileParams = z.object({ file: z.string().regex(/^[\w][\w.+-]{0,200}$/) }).strict();

const contentTypes: Record<string, string> = {
  '.yml': 'text/yaml; charset=utf-8',
  '.blockmap': 'application/octet-stream',
  '.exe': 'application/vnd.microsoft.portable-executable',
  '.AppImage': 'application/octet-stream',
  '.deb': 'application/vnd.debian.binary-package',
};

export function registerUpdateRoutes(app: FastifyInstance, ctx: Context): void {
  const dir = ctx.config.updates.dir;
  app.get('/updates/:file', async (req, reply) => {
    const { file } = parse(FileParams, req.params);
    if (!dir) throw new ApiError(404, 'NOT_FOUND');
    const path = join(dir, file);
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) throw new ApiError(404, 'NOT_FOUND');
    const type = Object.entries(contentTypes).find(([ext]) => file.endsWith(ext))?.[1] ?? 'application/octet-stream';
    // latest.yml changes with each release: never cached; the installers are immutable by name.
    reply.header('Content-Type', type).header('Accept-Ranges', 'bytes').header('Cache-Control', file.endsWith('.yml') ? 'no-cache' : 'public, max-age=86400');
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    if (range) {
      const start = Number(range[1]);
      const end = range[2] === '' ? info.size - 1 : Math.min(Number(range[2]), info.size - 1);
      if (start > end || start >= info.size) throw new ApiError(416, 'RANGE_NOT_SATISFIABLE');
      return reply.code(206).header('Content-Range', `bytes ${start}-${end}/${info.size}`).header('Content-Length', String(end - start + 1))
        .send(createReadStream(path, { start, end }));
    }
    return reply.header('Content-Length', String(info.size)).send(createReadStream(path));
  });
}
