// Surat Masuk: the agenda list (#/surat-masuk), the Catat form (#/surat-masuk/catat, or
// #/surat-masuk/catat/<documentId> for a stored document such as a saved scan) and one letter
// (#/surat-masuk/<id>), chosen by the location fragment so the browser's Back works as expected.
// Letters other offices sent: #/surat-masuk/kiriman (the list), …/kiriman/<letterId> (one, with its
// PDF) and #/surat-masuk/catat-kiriman/<letterId> (Catat pre-filled from it).
import { useSyncExternalStore } from 'react';
import { CatatSurat } from './CatatSurat.tsx';
import { DaftarSurat } from './DaftarSurat.tsx';
import { DaftarKiriman, LihatKiriman } from '../delivery/Kiriman.tsx';
import { LihatSurat } from './LihatSurat.tsx';

function subscribe(onChange: () => void) {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

export function SuratMasuk() {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  const [sub = '', documentId] = hash.replace(/^#\/?surat-masuk\/?/, '').split('?', 1)[0]!.split('/');
  // Any id goes to main, which answers a malformed or unknown one with a clear message.
  if (sub === 'kiriman' && documentId) return <LihatKiriman key={documentId} letterId={documentId} />;
  if (sub === 'kiriman') return <DaftarKiriman />;
  if (sub === 'catat-kiriman' && documentId) return <CatatSurat key={`kiriman-${documentId}`} deliveryId={documentId} />;
  if (sub === 'catat' && documentId) return <CatatSurat key={documentId} documentId={documentId} />;
  if (sub === 'catat') return <CatatSurat key="catat" />;
  if (/^[0-9a-f-]{36}$/.test(sub)) return <LihatSurat key={sub} id={sub} />;
  return <DaftarSurat />;
}
