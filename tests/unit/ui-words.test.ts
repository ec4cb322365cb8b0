// The words check (part of `npm test`): every text the renderer asks for exists in both languages,
// and no Indonesian text — translations and the contract's error messages — shows a person an
// internal identifier, an error code or an English word.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorTexts } from '../../common/ipc/index.ts';
import { rawWordIn } from '../support/ui-words.ts';

const root = join(import.meta.dirname, '..', '..');
type Tree = { [key: string]: string | Tree };
const id = JSON.parse(readFileSync(join(root, 'renderer/src/i18n/id.json'), 'utf8')) as Tree;
const en = JSON.parse(readFileSync(join(root, 'renderer/src/i18n/en.json'), 'utf8')) as Tree;

function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of leaves(v, key)) out.set(kk, vv);
  }
  return out;
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

const idTexts = leaves(id);
const enTexts = leaves(en);
/** i18next plural forms: `key` is asked for, `key_one`/`key_other` exist. */
const base = (key: string) => key.replace(/_(zero|one|two|few|many|other)$/, '');
const idKeys = new Set([...idTexts.keys()].map(base));

describe('the words a person reads', () => {
  it('every text the renderer asks for exists in Bahasa Indonesia, and every one has its English', () => {
    const missing: string[] = [];
    for (const file of sources(join(root, 'renderer/src'))) {
      const code = readFileSync(file, 'utf8');
      for (const m of code.matchAll(/\bt\(\s*'([a-zA-Z0-9_.-]+)'/g)) if (!idKeys.has(m[1]!)) missing.push(`${file.slice(root.length + 1)}: ${m[1]}`);
      // A key built at run time: at least the part before the variable must be a group of texts.
      for (const m of code.matchAll(/\bt\(\s*`([a-zA-Z0-9_.-]+)\.\$\{/g)) {
        if (![...idKeys, ...enTexts.keys()].some((k) => k.startsWith(`${m[1]}.`))) missing.push(`${file.slice(root.length + 1)}: ${m[1]}.*`);
      }
    }
    expect(missing).toEqual([]);
    // Plural forms differ by language (Indonesian has no singular form); field errors are English
    // versions of main's Indonesian messages (i18n/index.ts fieldErrorText), so only English has them.
    const enKeys = new Set([...enTexts.keys()].map(base));
    const untranslated = [...idKeys].filter((k) => !enKeys.has(k));
    const extra = [...enKeys].filter((k) => !idKeys.has(k) && !k.startsWith('fieldErrors.'));
    expect({ untranslated, extra }).toEqual({ untranslated: [], extra: [] });
  });

  it('no Indonesian text shows an internal identifier, an error code or an English word', () => {
    const found: string[] = [];
    for (const [key, text] of idTexts) {
      // The names of the two languages are each in its own language on purpose ("English").
      if (key === 'pengaturan.language.en') continue;
      const raw = rawWordIn(text);
      if (raw) found.push(`id.json ${key}: ${raw.kind} "${raw.match}" in "${text}"`);
    }
    for (const [code, texts] of Object.entries(errorTexts)) {
      const raw = rawWordIn((texts as { id: string }).id);
      if (raw) found.push(`error ${code}: ${raw.kind} "${raw.match}" in "${(texts as { id: string }).id}"`);
    }
    expect(found).toEqual([]);
  });

  it('the check itself catches what the first day met', () => {
    for (const leak of ['Data yang dikirim tidak sesuai (signer)', 'penggunaan: digitalSignature, nonRepudiation', 'Pembuat: SoftHSM project',
      'Perubahan jenis "agenda_book/export"', 'Kolom TandaTangan1', 'Kode: AUTH_REQUIRED']) expect(rawWordIn(leak), leak).toBeDefined();
    for (const fine of ['Contoh: https://eoffice.contoh.go.id.', 'Masukkan PIN token', 'Server tidak dapat dihubungi.', 'Berkas .pem atau .crt']) expect(rawWordIn(fine), fine).toBeUndefined();
  });
});
