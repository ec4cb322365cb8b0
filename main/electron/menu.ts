// The application menu, in Bahasa Indonesia: only what a clerk uses (quit, clipboard, zoom,
// reload). A plain module (Electron types only) so the labels and the absence of developer tools
// in the installed app are checked in plain Node.
import type { MenuItemConstructorOptions } from 'electron';

export function menuTemplate(options: { isPackaged: boolean; isMac: boolean }): MenuItemConstructorOptions[] {
  const view: MenuItemConstructorOptions[] = [
    { role: 'reload', label: 'Muat Ulang' },
    { type: 'separator' },
    { role: 'resetZoom', label: 'Ukuran Normal' },
    { role: 'zoomIn', label: 'Perbesar' },
    { role: 'zoomOut', label: 'Perkecil' },
    { type: 'separator' },
    { role: 'togglefullscreen', label: 'Layar Penuh' },
  ];
  // Developer tools only when running from the source tree; the installed app has none.
  if (!options.isPackaged) view.push({ type: 'separator' }, { role: 'toggleDevTools', label: 'Alat Pengembang' });

  return [
    ...(options.isMac ? [{ role: 'appMenu', label: 'Loket' } satisfies MenuItemConstructorOptions] : []),
    { label: 'Berkas', submenu: [{ role: options.isMac ? 'close' : 'quit', label: options.isMac ? 'Tutup Jendela' : 'Keluar' }] },
    {
      label: 'Sunting',
      submenu: [
        { role: 'undo', label: 'Urungkan' },
        { role: 'redo', label: 'Ulangi' },
        { type: 'separator' },
        { role: 'cut', label: 'Potong' },
        { role: 'copy', label: 'Salin' },
        { role: 'paste', label: 'Tempel' },
        { role: 'selectAll', label: 'Pilih Semua' },
      ],
    },
    { label: 'Tampilan', submenu: view },
    { label: 'Bantuan', submenu: [{ role: 'about', label: 'Tentang Loket' }] },
  ];
}
