// Where an Electron executable is installed, if anywhere. Electron's own package would download
// one on first use; Loket never does (the build machines cannot reach its host), so this only looks.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function findElectronBinary(root: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const pkgDir = join(root, 'node_modules', 'electron');
  const pathTxt = join(pkgDir, 'path.txt');
  const relative = existsSync(pathTxt) ? readFileSync(pathTxt, 'utf8').trim() : 'electron';
  const candidate = env.ELECTRON_OVERRIDE_DIST_PATH ? join(env.ELECTRON_OVERRIDE_DIST_PATH, relative) : join(pkgDir, 'dist', relative);
  return existsSync(candidate) ? candidate : undefined;
}
