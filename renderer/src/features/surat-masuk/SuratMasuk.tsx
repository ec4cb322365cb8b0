// Surat Masuk: the agenda list (#/surat-masuk), the Catat form (#/surat-masuk/catat) and one letter
// (#/surat-masuk/<id>), chosen by the location fragment so the browser's Back works as expected.
import { useSyncExternalStore } from 'react';
import { CatatSurat } from './CatatSurat.tsx';
import { DaftarSurat } from './DaftarSurat.tsx';
import { LihatSurat } from './LihatSurat.tsx';

function subscribe(onChange: () => void) {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

export function SuratMasuk() {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  const sub = hash.replace(/^#\/?surat-masuk\/?/, '').split(/[/?]/, 1)[0] ?? '';
  if (sub === 'catat') return <CatatSurat key="catat" />;
  if (/^[0-9a-f-]{36}$/.test(sub)) return <LihatSurat key={sub} id={sub} />;
  return <DaftarSurat />;
}
