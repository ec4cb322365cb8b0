// Numbers as a letter writes them in Bahasa Indonesia: the Lampiran line's "2 (dua) lembar" and
// amounts with dots between the thousands.
import { describe, expect, it } from 'vitest';
import { countInWords, formatNumber, terbilang } from '../../main/letters/drafting/indonesian.ts';

describe('numbers in words', () => {
  it.each([
    [0, 'nol'], [1, 'satu'], [10, 'sepuluh'], [11, 'sebelas'], [12, 'dua belas'], [19, 'sembilan belas'], [20, 'dua puluh'],
    [42, 'empat puluh dua'], [100, 'seratus'], [111, 'seratus sebelas'], [250, 'dua ratus lima puluh'], [1000, 'seribu'],
    [1100, 'seribu seratus'], [2026, 'dua ribu dua puluh enam'], [11000, 'sebelas ribu'], [100000, 'seratus ribu'],
    [1250000, 'satu juta dua ratus lima puluh ribu'], [3000000000, 'tiga miliar'],
  ])('%i is "%s"', (n, words) => expect(terbilang(n)).toBe(words));

  it('refuses what is not a whole number', () => {
    expect(() => terbilang(-1)).toThrow(RangeError);
    expect(() => terbilang(1.5)).toThrow(RangeError);
  });
});

describe('figures', () => {
  it('separates thousands with dots and decimals with a comma', () => {
    expect(formatNumber(7)).toBe('7');
    expect(formatNumber(1250000)).toBe('1.250.000');
    expect(formatNumber(-45000)).toBe('-45.000');
    expect(formatNumber(1234.5)).toBe('1.234,5');
  });

  it('writes a count as the Lampiran line does', () => {
    expect(countInWords(2, 'lembar')).toBe('2 (dua) lembar');
    expect(countInWords(1, 'berkas')).toBe('1 (satu) berkas');
  });
});
