// A packaged desk updates itself from its server's feed (main/sync/update-feed.ts): electron-updater
// checks at start and every few hours, downloads in the background (only the changed blocks of the
// installer) and installs when the desk is next closed. A failed check is logged and tried again
// later; it never disturbs the clerk's work.
import electronUpdater from 'electron-updater';
import type { Logger } from '../../common/logger.ts';
import { updateFeedUrl } from '../sync/update-feed.ts';

const checkEveryMs = 4 * 60 * 60 * 1000;

export function keepUpdated(serverUrl: () => string, log: Logger): void {
  const { autoUpdater } = electronUpdater;
  autoUpdater.autoDownload = true;
  autoUpdater.autoInstallOnAppQuit = true;
  autoUpdater.on('error', (err: Error) => log.warn('electron: update check failed', { err }));
  autoUpdater.on('update-downloaded', (info: { version: string }) => log.info('electron: update ready, installed on quit', { version: info.version }));
  const check = () => {
    // The server can change in Pengaturan while the desk runs: the feed follows it.
    const feed = updateFeedUrl(serverUrl());
    if (feed === undefined) return;
    autoUpdater.setFeedURL({ provider: 'generic', url: feed });
    autoUpdater.checkForUpdates().catch((err: unknown) => log.warn('electron: update check failed', { err }));
  };
  check();
  setInterval(check, checkEveryMs).unref();
}
