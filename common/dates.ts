// Calendar dates as the desk sees them: the agenda's "tanggal terima" is the local date of the
// office (WIB/WITA/WIT), not UTC.

/** YYYY-MM-DD of `at` in the machine's local time zone. */
export function localDate(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}
