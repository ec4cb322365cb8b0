// The desk's shell: navigation of the screens that work today, the header, and the current screen.
// Settings are read here once because the header, the language and Pengaturan all depend on them.
import { lazy, Suspense, useEffect, useRef, useSyncExternalStore, type ComponentType, type LazyExoticComponent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Settings } from '../../common/ipc/app.ts';
import { useLive } from './bridge/hooks.ts';
import { Beranda } from './features/dashboard/Beranda.tsx';
import { Masuk } from './features/auth/Masuk.tsx';
import { NewDispositionNotice } from './features/letters/disposition/NewDispositionNotice.tsx';
import { PemulihanData } from './features/storage/PemulihanData.tsx';
import { availableFeatures, featureFromHash, hashFor, homeFeature, type AvailableFeatureId } from './features/registry.ts';
import { applyLanguage, applyTimeZone } from './i18n/index.ts';
import { Header } from './shell/Header.tsx';
import { Icon } from './ui/icons.tsx';

type ScreenProps = { settings: Settings | undefined };

/** A screen whose code is fetched the first time it is opened (its own chunk, with what only it needs, such as the PDF viewer). */
function onDemand<K extends string>(load: () => Promise<Record<K, ComponentType<ScreenProps>>>, name: K): LazyExoticComponent<ComponentType<ScreenProps>> {
  return lazy(async () => ({ default: (await load())[name] }));
}

// Beranda, the first screen after signing in, comes with the shell; every other screen on demand.
const screens: Record<AvailableFeatureId, ComponentType<ScreenProps>> = {
  beranda: Beranda,
  'surat-masuk': onDemand(() => import('./features/letters/incoming/SuratMasuk.tsx'), 'SuratMasuk'),
  disposisi: onDemand(() => import('./features/letters/disposition/Disposisi.tsx'), 'Disposisi'),
  'surat-keluar': onDemand(() => import('./features/letters/outgoing/SuratKeluar.tsx'), 'SuratKeluar'),
  konsep: onDemand(() => import('./features/letters/drafting/Konsep.tsx'), 'Konsep'),
  'tanda-tangan': onDemand(() => import('./features/sign/TandaTangan.tsx'), 'TandaTangan'),
  pindai: onDemand(() => import('./features/scan/Pindai.tsx'), 'Pindai'),
  delegasi: onDemand(() => import('./features/delegation/Delegasi.tsx'), 'Delegasi'),
  struktur: onDemand(() => import('./features/structure/StrukturOrganisasi.tsx'), 'StrukturOrganisasi'),
  'antrian-sinkron': onDemand(() => import('./features/sync/AntrianSinkron.tsx'), 'AntrianSinkron'),
  pengaturan: onDemand(() => import('./features/settings/Pengaturan.tsx'), 'Pengaturan'),
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

  // After moving to another screen, put keyboard and screen-reader focus on its title — once the
  // screen is there: one opened for the first time shows its title when its code has arrived.
  useEffect(() => {
    if (firstScreen.current) {
      firstScreen.current = false;
      return;
    }
    const region = main.current;
    if (!region) return;
    const focusTitle = () => {
      const title = region.querySelector<HTMLElement>('h1');
      title?.focus();
      return title !== null;
    };
    if (focusTitle()) return;
    const arrival = new MutationObserver(() => { if (focusTitle()) arrival.disconnect(); });
    arrival.observe(region, { childList: true, subtree: true });
    return () => arrival.disconnect();
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
          <Suspense fallback={<p className="screen-loading" role="status">{t('common.loading')}</p>}>
            <Screen settings={settings.value} />
          </Suspense>
        </main>
      </div>
    </div>
  );
}
