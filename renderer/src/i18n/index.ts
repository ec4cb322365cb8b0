// Translations: Bahasa Indonesia first, English switchable. Messages of errors come from main in
// Bahasa Indonesia; in English the renderer shows the contract's English text for the code (errorText).
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Language } from '../../../common/ipc/app.ts';
import { textsOf, type IpcError } from '../../../common/ipc/index.ts';
import id from './id.json' with { type: 'json' };
import en from './en.json' with { type: 'json' };

void i18next.use(initReactI18next).init({
  resources: { id: { translation: id }, en: { translation: en } },
  lng: 'id',
  fallbackLng: 'id',
  supportedLngs: ['id', 'en'],
  interpolation: { escapeValue: false },
  initAsync: false,
});

export const i18n = i18next;

export function currentLanguage(): Language {
  return i18next.resolvedLanguage === 'en' ? 'en' : 'id';
}

/** Locale for Intl: dates and numbers the way an Indonesian office writes them. */
export function localeOf(language: Language): string {
  return language === 'en' ? 'en-GB' : 'id-ID';
}

export function applyLanguage(language: Language): void {
  if (i18next.resolvedLanguage !== language) void i18next.changeLanguage(language);
}

/** What to show a person for an error from main. */
export function errorText(error: Pick<IpcError, 'message'> & { code: string }, language: Language): string {
  if (language === 'id') return error.message;
  return textsOf(error.code)?.en ?? error.message;
}

/** What to show next to a settings field that main refused. */
export function fieldErrorText(field: string, mainMessage: string, language: Language): string {
  if (language === 'id') return mainMessage;
  return i18next.t(`fieldErrors.${field}`, { lng: 'en', defaultValue: mainMessage });
}

// Building an Intl.DateTimeFormat costs about a millisecond; a list of a few hundred dates built one
// per date blocked the screen, so each kind is built once and kept.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(key: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = make()));
  return f;
}

/** 2026-03-02T08:15:00Z → "2 Mar 2026 15.15" in the desk's time zone. */
export function formatMoment(iso: string, language: Language): string {
  return formatter(`moment-${language}`, () => new Intl.DateTimeFormat(localeOf(language), { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' })).format(new Date(iso));
}

/** 2026-11-23 → "23 Nov 2026" (id) or "23 Nov 2026" (en): dates as an office writes them. */
export function formatDate(iso: string, language: Language): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return formatter(`date-${language}`, () => new Intl.DateTimeFormat(localeOf(language), { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' })).format(new Date(Date.UTC(y, m - 1, d)));
}
