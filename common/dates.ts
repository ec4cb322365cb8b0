// Dates and times as the office reads them. Every date or time the desk, the renderer or the server
// shows or prints goes through here, in the office's time zone (WIB, WITA or WIT) — never the
// machine's, which is often UTC — so the stamp, Periksa, the lists and the printed books agree.
import type { Language, OfficeTimeZone } from './ipc/app.ts';

export type { OfficeTimeZone } from './ipc/app.ts';

/** The office's zone, or UTC where the office is not known (a check deep in the device worker). */
export type ShownZone = OfficeTimeZone | 'UTC';

/** What an office in Indonesia writes after a time. */
const abbreviations: Record<ShownZone, string> = { 'Asia/Jakarta': 'WIB', 'Asia/Makassar': 'WITA', 'Asia/Jayapura': 'WIT', UTC: 'UTC' };

export function zoneAbbreviation(zone: ShownZone): string {
  return abbreviations[zone];
}

const localeOf = (language: Language) => (language === 'en' ? 'en-GB' : 'id-ID');

// Building a formatter costs more than formatting; one per locale, zone and style serves every call.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: string, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    formatters.set(key, f);
  }
  return f;
}

const asDate = (at: string | Date) => (typeof at === 'string' ? new Date(at) : at);

/** Hours ahead of UTC; Indonesia keeps no daylight saving time, so the offsets never change. */
const utcOffsetHours: Record<OfficeTimeZone, number> = { 'Asia/Jakarta': 7, 'Asia/Makassar': 8, 'Asia/Jayapura': 9 };

/** The moment a day (YYYY-MM-DD) begins at the office: 2026-12-05 in WITA → 2026-12-04T16:00:00Z. */
export function startOfDay(date: string, zone: OfficeTimeZone): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) - utcOffsetHours[zone] * 3_600_000);
}

/** YYYY-MM-DD of `at` at the office: the agenda's "tanggal terima", "today" on Beranda. */
export function localDate(at: Date, zone: OfficeTimeZone): string {
  const parts = formatter('en-CA', zone, { year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** HH.MM of `at` at the office, with the zone: "04.03 WIB". */
export function localTime(at: Date, zone: ShownZone): string {
  const parts = formatter('en-GB', zone, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('hour')}.${part('minute')} ${zoneAbbreviation(zone)}`;
}

export type DateStyle = 'short' | 'long';
const dayOptions = (style: DateStyle): Intl.DateTimeFormatOptions => ({ day: 'numeric', month: style, year: 'numeric' });

/** A calendar date (YYYY-MM-DD, a letter's own date: it has no time and no zone) → "23 Nov 2026" / "23 November 2026". */
export function formatCalendarDate(isoDate: string, language: Language, style: DateStyle = 'short'): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  if (!m) return isoDate;
  return formatter(localeOf(language), 'UTC', dayOptions(style)).format(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))));
}

/** The day a moment falls on at the office: 2026-12-04T23:30Z in WIB → "5 Des 2026". */
export function formatDay(at: string | Date, zone: ShownZone, language: Language, style: DateStyle = 'short'): string {
  const date = asDate(at);
  return Number.isNaN(date.getTime()) ? String(at) : formatter(localeOf(language), zone, dayOptions(style)).format(date);
}

/** A moment at the office, with the zone: "5 Des 2026 06.30 WIB" (short) or "5 Desember 2026 06.30 WITA" (long). */
export function formatMoment(at: string | Date, zone: ShownZone, language: Language, style: DateStyle = 'short'): string {
  const date = asDate(at);
  if (Number.isNaN(date.getTime())) return String(at);
  return `${formatDay(date, zone, language, style)} ${localTime(date, zone)}`;
}

/** Today's date written in full at the office: "Sabtu, 5 Desember 2026". */
export function formatFullDay(at: Date, zone: OfficeTimeZone, language: Language): string {
  return formatter(localeOf(language), zone, { dateStyle: 'full' }).format(at);
}
