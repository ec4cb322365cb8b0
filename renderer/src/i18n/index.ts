// Translations: Bahasa Indonesia first, English switchable. Messages of errors come from main in
// Bahasa Indonesia; in English the renderer shows the contract's English text for the code (errorText).
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Language, OfficeTimeZone } from '../../../common/ipc/app.ts';
import { formatCalendarDate, formatFullDay, formatDay as dayAtOffice, formatMoment as momentAtOffice, localDate, startOfDay, type DateStyle } from '../../../common/dates.ts';
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

// The office's time zone (Pengaturan), in which every moment is shown: not the machine's, which may
// run in UTC or sit in another zone than the office.
let officeZone: OfficeTimeZone = 'Asia/Jakarta';

export function applyTimeZone(zone: OfficeTimeZone): void {
  officeZone = zone;
}

export function currentTimeZone(): OfficeTimeZone {
  return officeZone;
}

/** 2026-03-02T08:15:00Z → "2 Mar 2026 15.15 WIB": a moment at the office. */
export function formatMoment(iso: string, language: Language, style: DateStyle = 'short'): string {
  return momentAtOffice(iso, officeZone, language, style);
}

/** 2026-03-01T23:30:00Z → "2 Mar 2026" in WIB: the day a moment falls on at the office. */
export function formatDay(iso: string, language: Language, style: DateStyle = 'short'): string {
  return dayAtOffice(iso, officeZone, language, style);
}

/**
 * A period at the office: a bound at the office's midnight reads as a whole day, the end as the last
 * day in it — "6 Des 2026 – 8 Des 2026" — any other bound as a moment ("5 Des 2026 23.26 WIB").
 */
export function formatPeriod(startsAt: string, endsAt: string, language: Language): string {
  const atMidnight = (iso: string) => startOfDay(localDate(new Date(iso), officeZone), officeZone).getTime() === Date.parse(iso);
  const start = atMidnight(startsAt) ? formatDay(startsAt, language) : formatMoment(startsAt, language);
  const end = atMidnight(endsAt) ? formatDay(new Date(Date.parse(endsAt) - 1).toISOString(), language) : formatMoment(endsAt, language);
  return `${start} – ${end}`;
}

/** Today at the office (YYYY-MM-DD): the machine's own zone is often UTC, seven to nine hours behind. */
export function todayAtOffice(): string {
  return localDate(new Date(), officeZone);
}

/** Today written in full at the office: "Sabtu, 5 Desember 2026". */
export function formatToday(language: Language): string {
  return formatFullDay(new Date(), officeZone, language);
}

/** 2026-11-23 → "23 Nov 2026": a calendar date (a letter's own date, a due date) as an office writes it. */
export function formatDate(iso: string, language: Language, style: DateStyle = 'short'): string {
  return formatCalendarDate(iso, language, style);
}
