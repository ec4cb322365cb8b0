// The desk's shell: navigation of the screens that work today, the header, and the current screen.
// Settings are read here once because the header, the language and Pengaturan all depend on them.
import { useEffect, useRef, useSyncExternalStore, type ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import type { Settings } from '../../common/ipc/app.ts';
import { useLive } from './bridge/hooks.ts';
import { AntrianSinkron } from './features/sync/AntrianSinkron.tsx';
import { Beranda } from './features/dashboard/Beranda.tsx';
import { Masuk } from './features/auth/Masuk.tsx';
import { Pengaturan } from './features/settings/Pengaturan.tsx';
import { SuratMasuk } from './features/letters/incoming/SuratMasuk.tsx';
import { Disposisi } from './features/letters/disposition/Disposisi.tsx';
import { NewDispositionNotice } from './features/letters/disposition/NewDispositionNotice.tsx';
import { SuratKeluar } from './features/letters/outgoing/SuratKeluar.tsx';
import { Konsep } from './features/letters/drafting/Konsep.tsx';
import { Delegasi } from './features/delegation/Delegasi.tsx';
import { StrukturOrganisasi } from './features/structure/StrukturOrganisasi.tsx';
import { TandaTangan } from './features/sign/TandaTangan.tsx';
import { Pindai } from './features/scan/Pindai.tsx';
import { PemulihanData } from './features/storage/PemulihanData.tsx';
import { availableFeatures, featureFromHash, hashFor, homeFeature, type AvailableFeatureId } from './features/registry.ts';
import { applyLanguage, applyTimeZone } from './i18n/index.ts';
import { Header } from './shell/Header.tsx';
import { Icon } from './ui/icons.tsx';

const screens: Record<AvailableFeatureId, ComponentType<{ settings: Settings | undefined }>> = {
  beranda: Beranda,
  'surat-masuk': SuratMasuk,
  disposisi: Disposisi,
  'surat-keluar': SuratKeluar,
  konsep: Konsep,
  'tanda-tangan': TandaTangan,
  pindai: Pindai,
  delegasi: Delegasi,
  struktur: StrukturOrganisasi,
  'antrian-sinkron': AntrianSinkron,
  pengaturan: Pengaturan,
};

function subscribeHash(onChange: () => void) {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

function useCurrentFeature(roles: readonly string[]): AvailableFeatureId {
  const hash = useSyncExternalStore(subscribeHash, () => window.location.hash);
  return featureFromHash(hash, roles);
}

const noRoles: readonly string[] = [];

export function App() {
  const { t, i18n } = useTranslation();
  const settings = useLive('settings.get', 'settings.changed');
  const session = useLive('auth.session', 'auth.changed');
  const roles = session.value?.user.roles ?? noRoles;
  const current = useCurrentFeature(roles);
  const sync = useLive('sync.status', 'sync.changed');
  const storage = useLive('storage.status', 'storage.changed');
  const main = useRef<HTMLElement>(null);
  const firstScreen = useRef(true);

  const language = settings.value?.language;
  useEffect(() => {
    if (language) applyLanguage(language);
  }, [language]);
  // Set while rendering, not in an effect: the screens below format their dates in this same pass.
  if (settings.value) applyTimeZone(settings.value.timeZone);

  // Screen readers and hyphenation follow the page's language, not only the texts.
  const shown = i18n.resolvedLanguage;
  useEffect(() => {
    if (shown) document.documentElement.lang = shown;
  }, [shown]);

  // After moving to another screen, put keyboard and screen-reader focus on its title.
  useEffect(() => {
    if (firstScreen.current) {
      firstScreen.current = false;
      return;
    }
    main.current?.querySelector<HTMLElement>('h1')?.focus();
  }, [current]);

  useEffect(() => {
    document.title = `${t(`nav.${current}`)} · ${t('app.name')}`;
  }, [current, t]);

  // The next person starts on Beranda, not on the letter the previous one left open.
  const signedOut = Boolean(sync.value?.server) && session.value === null;
  useEffect(() => {
    if (signedOut && window.location.hash !== hashFor(homeFeature)) window.location.hash = hashFor(homeFeature);
  }, [signedOut]);

  // A data file found damaged at start: the desk answers nothing else until the admin recovers it.
  if (storage.value && !storage.value.deskRunning) return <PemulihanData status={storage.value} />;
  // A desk with a server asks who works at it; a standalone desk has no accounts.
  if (sync.value?.server && session.value === null) return <Masuk settings={settings.value} server={sync.value.server} />;

  const Screen = screens[current];
  return (
    <div className="shell">
      <a className="skip-link" href="#content" onClick={(e) => { e.preventDefault(); main.current?.querySelector<HTMLElement>('h1')?.focus(); }}>
        {t('app.skipToContent')}
      </a>
      <aside className="sidebar">
        <div className="brand">
          <Icon name="logo" />
          <div>
            <div className="brand-name">{t('app.name')}</div>
            <div className="brand-tagline">{t('app.tagline')}</div>
          </div>
        </div>
        <nav aria-label={t('nav.label')}>
          <ul>
            {availableFeatures(roles).map((id) => (
              <li key={id}>
                <a href={hashFor(id)} aria-current={id === current ? 'page' : undefined} data-testid={`nav-${id}`}>
                  <Icon name={id} />
                  <span>{t(`nav.${id}`)}</span>
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </aside>
      <div className="workspace">
        <Header settings={settings.value} />
        {sync.value?.server && <NewDispositionNotice />}
        {storage.value?.state === 'damaged' && <PemulihanData status={storage.value} />}
        <main id="content" ref={main}>
          <Screen settings={settings.value} />
        </main>
      </div>
    </div>
  );
}
