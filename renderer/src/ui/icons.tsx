// Small inline icons for the navigation (no icon fonts or CDNs: the CSP allows only 'self').
import type { AvailableFeatureId } from '../features/registry.ts';

const paths: Record<AvailableFeatureId | 'logo', string> = {
  beranda: 'M3 10.5 12 3l9 7.5V20a1 1 0 0 1-1 1h-5v-6h-6v6H4a1 1 0 0 1-1-1z',
  pengaturan: 'M12 8.5a3.5 3.5 0 1 0 0 7 3.5 3.5 0 0 0 0-7zm8.4 5.1-1.9-.3a6.8 6.8 0 0 1-.6 1.5l1.1 1.6-1.9 1.9-1.6-1.1c-.5.3-1 .5-1.5.6l-.3 1.9h-2.7l-.3-1.9a6.8 6.8 0 0 1-1.5-.6l-1.6 1.1-1.9-1.9 1.1-1.6a6.8 6.8 0 0 1-.6-1.5l-1.9-.3v-2.7l1.9-.3c.1-.5.3-1 .6-1.5L5.7 6.8l1.9-1.9 1.6 1.1c.5-.3 1-.5 1.5-.6L11 3.5h2.7l.3 1.9c.5.1 1 .3 1.5.6l1.6-1.1 1.9 1.9-1.1 1.6c.3.5.5 1 .6 1.5l1.9.3z',
  pindai: 'M4 13h16a1 1 0 0 1 1 1v5a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1v-5a1 1 0 0 1 1-1zm2 3v2h6v-2zM5 11 17.5 4.2l1 1.7L9.3 11z',
  'antrian-sinkron': 'M12 4a8 8 0 0 1 7.4 5H17l3.5 4 3.5-4h-2.6A10 10 0 0 0 2.2 10h2.1A8 8 0 0 1 12 4zm-8.5 7L0 15h2.6a10 10 0 0 0 19.2 1h-2.1A8 8 0 0 1 4.6 15H7z',
  'surat-keluar': 'M3 5h18v14H3zm2 2v.5l7 4.5 7-4.5V7zm0 2.9V17h14V9.9l-7 4.5z',
  konsep: 'M5 3h10l4 4v14H5zm9 1.5V8h3.5zM7 11h10v1.5H7zm0 3h10v1.5H7zm0 3h6v1.5H7z',
  'tanda-tangan': 'M3 17.5 14.5 6l3.5 3.5L6.5 21H3zM16 4.5 17.5 3 21 6.5 19.5 8zM13 21h8v-2h-8z',
  'surat-masuk': 'M4 4h16a1 1 0 0 1 1 1v14a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V5a1 1 0 0 1 1-1zm1 2v8h4l1.5 2h3L15 14h4V6zm6 1h2v3.2l1.3-1.3 1.4 1.4L12 13.1 8.3 9.3l1.4-1.4 1.3 1.3z',
  disposisi: 'M5 3h10l4 4v14H5zm2 2v14h10V8h-3V5zm2 6h6v2H9zm0 4h6v2H9zM9 7h3v2H9z',
  delegasi: 'M9 4a4 4 0 1 1 0 8 4 4 0 0 1 0-8zm0 10c4 0 7 2 7 4v2H2v-2c0-2 3-4 7-4zm8-6h3V5l4 4-4 4v-3h-3z',
  struktur: 'M9 2h6v5h-2v3h7v4h2v6h-6v-6h2v-2h-5v2h2v6H9v-6h2v-2H6v2h2v6H2v-6h2v-4h7V7H9z',
  logo: 'M4 4h16v5H4zm0 7h7v9H4zm9 0h7v9h-7z',
};

export function Icon({ name }: { name: AvailableFeatureId | 'logo' }) {
  return (
    <svg className="icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
      <path d={paths[name]} fill="currentColor" />
    </svg>
  );
}
