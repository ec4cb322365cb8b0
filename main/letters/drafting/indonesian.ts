// Numbers and dates as an Indonesian letter writes them: "1.250.000", "2 (dua) lembar", "2 Maret 2026".

const ones = ['', 'satu', 'dua', 'tiga', 'empat', 'lima', 'enam', 'tujuh', 'delapan', 'sembilan', 'sepuluh', 'sebelas'];

/** A whole number in words: 2 → "dua", 11 → "sebelas", 125 → "seratus dua puluh lima". */
export function terbilang(n: number): string {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`terbilang: ${n} is not a whole number`);
  if (n === 0) return 'nol';
  const words = (x: number): string => {
    if (x < 12) return ones[x]!;
    if (x < 20) return `${ones[x - 10]} belas`;
    if (x < 100) return `${ones[Math.floor(x / 10)]} puluh ${words(x % 10)}`;
    if (x < 200) return `seratus ${words(x - 100)}`;
    if (x < 1000) return `${ones[Math.floor(x / 100)]} ratus ${words(x % 100)}`;
    if (x < 2000) return `seribu ${words(x - 1000)}`;
    for (const [size, name] of [[1e12, 'triliun'], [1e9, 'miliar'], [1e6, 'juta'], [1e3, 'ribu']] as const) {
      if (x >= size) return `${words(Math.floor(x / size))} ${name} ${words(x % size)}`;
    }
    return '';
  };
  return words(n).replace(/\s+/g, ' ').trim();
}

/** Thousands separated by dots: 1250000 → "1.250.000". */
export function formatNumber(n: number): string {
  const [whole, fraction] = String(Math.abs(n)).split('.');
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${n < 0 ? '-' : ''}${grouped}${fraction === undefined ? '' : `,${fraction}`}`;
}

/** "2 (dua) lembar": a count as the Lampiran line writes it. */
export function countInWords(n: number, unit: string): string {
  return `${formatNumber(n)} (${terbilang(n)}) ${unit}`;
}

const months = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'] as const;

/** "2026-03-02" as a letter writes it: "2 Maret 2026". */
export function letterDateText(isoDate: string): string {
  const [year, month, day] = isoDate.split('-').map(Number) as [number, number, number];
  return `${day} ${months[month - 1]} ${year}`;
}
