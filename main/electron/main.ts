// Electron's main process: the desktop shell over the same core and IPC router as the browser
// host. One hardened window on app://loket/, every policy taken from security.ts; calls from the
// renderer go through the sender check into core.router, events come back on one channel.
// Quitting closes the core (store, device worker) before the process ends.
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session, shell, type IpcMainInvokeEvent } from 'electron';
import { join } from 'node:path';
import { createCore, type Core } from '../app/core.ts';
import { keepUpdated } from './updates.ts';
import { createLogger } from '../../common/logger.ts';
import { AppError } from '../../common/errors.ts';
import { menuTemplate } from './menu.ts';
import {
  APP_SCHEME, APP_START_URL, IPC_EVENT, IPC_INVOKE, createWindowOpenHandler, devicePermissionHandler, guardNavigation,
  isAllowedRequestUrl, isTrustedSender, permissionCheckHandler, permissionRequestHandler, privilegedSchemes, refuseWebview,
  serveAppRequest, webPreferences,
} from './security.ts';
import { utilityProcessSpawner } from './utility-process.ts';
import { safeStorageCodec } from './keychain.ts';
import { fileKeychain } from '../auth/keychain.ts';
import { logUnhandledRejections } from '../app/process-guards.ts';

const log = createLogger({ base: { proc: 'main', shell: 'electron' } });
logUnhandledRejections(log);

// LOKET_DATA_DIR (tests, a desk kept on another disk) holds everything, Chromium's profile
// included. Set first: the single-instance lock below is per userData folder.
if (process.env.LOKET_DATA_DIR) app.setPath('userData', join(process.env.LOKET_DATA_DIR, 'electron-profile'));

// A second Loket on the same data would open the same database: hand over to the first instead.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // Must happen before `ready`.
  protocol.registerSchemesAsPrivileged(privilegedSchemes);
  start().catch((err: unknown) => {
    log.error('electron: start failed', { err });
    // Before the window exists, a dialog is the only way to tell the clerk what happened.
    const reason = err instanceof AppError ? err.message : 'Terjadi kesalahan saat membuka data lokal.';
    dialog.showErrorBox('Loket tidak dapat dibuka', `${reason}\n\nTidak ada data yang hilang. Tutup Loket lalu buka kembali; bila masalah berulang, hubungi admin kantor dan sertakan berkas log.`);
    app.exit(1);
  });
}

async function start(): Promise<void> {
  let window: BrowserWindow | undefined;
  let core: Core | undefined;

  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('window-all-closed', () => app.quit());
  // Any web contents created anywhere (there should be only ours) gets the same guards.
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', guardNavigation);
    contents.on('will-frame-navigate', guardNavigation);
    contents.on('will-redirect', guardNavigation);
    contents.on('will-attach-webview', refuseWebview);
    contents.setWindowOpenHandler(createWindowOpenHandler((url) => void shell.openExternal(url)));
  });

  let closed = false;
  app.on('will-quit', (event) => {
    if (closed || !core) return;
    event.preventDefault();
    const closing = core;
    core = undefined;
    closing.close()
      .catch((err: unknown) => log.error('electron: core did not close cleanly', { err }))
      .finally(() => {
        closed = true;
        app.quit();
      });
  });

  // Date fields follow Chromium's UI language, not the page's: without this an English Windows shows
  // 11/23/2026 to a clerk who writes 23/11/2026. Must be set before ready.
  app.commandLine.appendSwitch('lang', 'id');
  await app.whenReady();

  const appRoot = app.getAppPath();
  const rendererRoot = join(appRoot, 'dist', 'renderer');
  const dataDir = process.env.LOKET_DATA_DIR ?? join(app.getPath('userData'), 'data');

  const ses = session.defaultSession;
  ses.setPermissionRequestHandler(permissionRequestHandler);
  ses.setPermissionCheckHandler(permissionCheckHandler);
  ses.setDevicePermissionHandler(devicePermissionHandler);
  ses.webRequest.onBeforeRequest((details, callback) => {
    const cancel = !isAllowedRequestUrl(details.url);
    if (cancel) log.warn('electron: blocked a request', { url: details.url.slice(0, 200) });
    callback({ cancel });
  });
  protocol.handle(APP_SCHEME, (request) => serveAppRequest(request, rendererRoot));

  // `npm start` with an Electron binary starts the embedded demo server itself (the packaged app does
  // not carry server/) and names it here, as it does for the browser host.
  const embeddedUrl = process.env.LOKET_EMBEDDED_SERVER_URL;
  const embeddedCa = process.env.LOKET_EMBEDDED_SERVER_CA;
  const serverCaFile = process.env.LOKET_SERVER_CA;
  // dist/dev is not packaged: only `npm start` (unpackaged, LOKET_DEVELOPMENT_AIDS) offers the demo scanner and token.
  const aids = !app.isPackaged && process.env.LOKET_DEVELOPMENT_AIDS === '1' ? (await import('../../dev/desk-aids.ts')).deskAids : undefined;
  core = await createCore({
    dataDir, shell: 'electron', version: app.getVersion(), spawnWorker: utilityProcessSpawner, log, keychain: fileKeychain(join(dataDir, 'keychain.json'), safeStorageCodec(log)),
    ...(embeddedUrl && embeddedCa ? { defaultServer: { url: embeddedUrl, caFile: embeddedCa } } : {}),
    ...(serverCaFile ? { serverCaFile } : {}),
    ...(aids ? { aids } : {}),
  });
  const router = core.router;

  ipcMain.handle(IPC_INVOKE, (event: IpcMainInvokeEvent, channel: unknown, payload: unknown) => {
    if (!isTrustedSender(event, window?.webContents.id)) {
      log.warn('electron: refused IPC from an untrusted sender', { url: event.senderFrame?.url.slice(0, 200) });
      throw new Error('untrusted sender');
    }
    return router.dispatch(channel, payload, { origin: 'electron' });
  });
  core.onEvent((name, payload) => {
    if (window && !window.isDestroyed()) window.webContents.send(IPC_EVENT, name, payload);
  });

  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate({ isPackaged: app.isPackaged, isMac: process.platform === 'darwin' })));

  window = new BrowserWindow({
    title: 'Loket',
    width: 1280,
    height: 820,
    minWidth: 960,
    minHeight: 600,
    show: false,
    webPreferences: webPreferences(join(import.meta.dirname, 'preload.cjs'), { devTools: !app.isPackaged }),
  });
  window.once('ready-to-show', () => window?.show());
  window.on('closed', () => {
    window = undefined;
  });
  await window.loadURL(APP_START_URL);
  log.info('electron: window ready', { dataDir });
  const desk = core;
  if (app.isPackaged) keepUpdated(() => desk.serverUrl(), log);
}
