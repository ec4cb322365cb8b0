// Surat Masuk: the agenda list (#/surat-masuk), the Catat form (#/surat-masuk/catat, or
// #/surat-masuk/catat/<documentId> for a stored document such as a saved scan) and one letter
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
  const [sub = '', documentId] = hash.replace(/^#\/?surat-masuk\/?/, '').split('?', 1)[0]!.split('/');
  // Any id goes to main, which answers a malformed or unknown one with a clear message.
  if (sub === 'catat' && documentId) return <CatatSurat key={documentId} documentId={documentId} />;
  if (sub === 'catat') return <CatatSurat key="catat" />;
  if (/^[0-9a-f-]{36}$/.test(sub)) return <LihatSurat key={sub} id={sub} />;
  return <DaftarSurat />;
}
