// The desk's navigation shows only screens that work, and every text has both languages.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorTexts } from '../../common/ipc/index.ts';
import { availableFeatures, featureFromHash, features, hashFor } from '../../renderer/src/features/registry.ts';

const i18nDir = join(import.meta.dirname, '../../renderer/src/i18n');
const id = JSON.parse(readFileSync(join(i18nDir, 'id.json'), 'utf8')) as Record<string, unknown>;
const en = JSON.parse(readFileSync(join(i18nDir, 'en.json'), 'utf8')) as Record<string, unknown>;

/** Flattened keys, with i18next plural suffixes folded (Indonesian has no plural forms). */
function keysOf(tree: Record<string, unknown>, prefix = ''): Set<string> {
  const keys = new Set<string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix + k.replace(/_(zero|one|two|few|many|other)$/, '');
    if (v && typeof v === 'object') for (const sub of keysOf(v as Record<string, unknown>, key + '.')) keys.add(sub);
    else keys.add(key);
  }
  return keys;
}

describe('desk navigation', () => {
  it('shows a clerk only the screens that work today, in desk order: Beranda, then Pengaturan', () => {
    expect(availableFeatures()).toEqual(['beranda', 'surat-masuk', 'disposisi', 'surat-keluar', 'konsep', 'pindai', 'tanda-tangan', 'delegasi', 'antrian-sinkron', 'pengaturan']);
    expect(features.map((f) => f.id)).toEqual(['beranda', 'surat-masuk', 'disposisi', 'surat-keluar', 'konsep', 'pindai', 'tanda-tangan', 'delegasi', 'struktur', 'antrian-sinkron', 'pengaturan']);
  });

  it('shows the organisation structure only to the admin kantor, and a bookmark to it opens Beranda for anyone else', () => {
    expect(availableFeatures(['admin_kantor'])).toEqual(['beranda', 'surat-masuk', 'disposisi', 'surat-keluar', 'konsep', 'pindai', 'tanda-tangan', 'delegasi', 'struktur', 'antrian-sinkron', 'pengaturan']);
    expect(availableFeatures(['operator_utama', 'signer'])).not.toContain('struktur');
    expect(featureFromHash('#/struktur', ['admin_kantor'])).toBe('struktur');
    expect(featureFromHash('#/struktur', ['signer'])).toBe('beranda');
    expect(featureFromHash('#/struktur')).toBe('beranda');
  });

  it('opens the screen a bookmark names, and Beranda for a screen that does not work yet or does not exist', () => {
    expect(featureFromHash(hashFor('pengaturan'))).toBe('pengaturan');
    expect(featureFromHash('#/pengaturan?tab=1')).toBe('pengaturan');
    expect(featureFromHash('#/surat-masuk/catat')).toBe('surat-masuk');
    expect(featureFromHash('#/disposisi/0193a0d2-7f1e-7c3a-9b2d-5e6f7a8b9c0d')).toBe('disposisi');
    expect(featureFromHash('#/arsip')).toBe('beranda');
    expect(featureFromHash('#/../etc')).toBe('beranda');
    expect(featureFromHash('')).toBe('beranda');
  });

  it('names every screen in Bahasa Indonesia and in English', () => {
    const idKeys = keysOf(id);
    const enKeys = keysOf(en);
    for (const f of features) {
      expect(idKeys, f.id).toContain(`nav.${f.id}`);
      expect(enKeys, f.id).toContain(`nav.${f.id}`);
    }
  });
});

describe('translations', () => {
  it('English has every text the Indonesian screens show', () => {
    const enKeys = keysOf(en);
    expect([...keysOf(id)].filter((k) => !enKeys.has(k))).toEqual([]);
  });

  it('every error code main can send reads in Bahasa Indonesia and in English (one catalogue, in the contract)', () => {
    const missing = Object.entries(errorTexts).filter(([, text]) => text.id.trim() === '' || text.en.trim() === '').map(([code]) => code);
    expect(missing, 'give these codes both texts in their capability file under common/ipc/').toEqual([]);
    expect(Object.keys(errorTexts).length).toBeGreaterThan(60);
    expect(keysOf(en).has('errors.INTERNAL'), 'error texts live in the contract, not in en.json').toBe(false);
  });
});
