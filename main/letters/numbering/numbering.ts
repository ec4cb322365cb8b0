// Agenda numbers (nomor agenda) of incoming letters: the agency's number template, and the blocks
// of sequence numbers a desk may hand out. Pure logic, no I/O: the store persists blocks and the
// last issued number in the same transaction as the letter, and the server leases blocks (sync issue).
// The rule that must never break: one office, one year, one sequence number — never given twice.
import { AppError } from '../../../common/errors.ts';

/** Parts a template may use. `urut` is the sequence number and the only one that may be padded. */
export const placeholders = ['urut', 'kode_unit', 'unit', 'klasifikasi', 'tahun', 'bulan', 'bulan_romawi'] as const;
export type Placeholder = (typeof placeholders)[number];

const placeholderHelp: Record<Placeholder, string> = {
  urut: 'nomor urut',
  kode_unit: 'kode unit pengolah',
  unit: 'nama singkat unit',
  klasifikasi: 'kode klasifikasi arsip',
  tahun: 'tahun (4 angka)',
  bulan: 'bulan (2 angka)',
  bulan_romawi: 'bulan dalam angka Romawi',
};

export type TemplatePart = { kind: 'text'; text: string } | { kind: 'field'; name: Placeholder; pad: number };

export interface AgendaTemplate {
  readonly source: string;
  readonly parts: readonly TemplatePart[];
}

const maxPad = 8;

function invalid(message: string, source: string): AppError {
  return new AppError('VALIDATION', message, { field: 'agendaTemplate', template: source });
}

function isPlaceholder(name: string): name is Placeholder {
  return (placeholders as readonly string[]).includes(name);
}

/**
 * Parses an agency's template such as `{urut:4}/{kode_unit}/{tahun}`. An admin types these, so
 * every mistake gets a message that names it and lists what is allowed.
 */
export function parseAgendaTemplate(source: string): AgendaTemplate {
  const trimmed = source.trim();
  if (trimmed === '') throw invalid('Format nomor agenda wajib diisi, misalnya {urut}/{kode_unit}/{tahun}.', source);
  const parts: TemplatePart[] = [];
  let text = '';
  let i = 0;
  while (i < trimmed.length) {
    const ch = trimmed[i]!;
    if (ch === '}') throw invalid(`Format nomor agenda memuat "}" tanpa pasangan "{" (posisi ${i + 1}).`, source);
    if (ch !== '{') { text += ch; i++; continue; }
    const close = trimmed.indexOf('}', i);
    if (close < 0) throw invalid(`Format nomor agenda memuat "{" yang tidak ditutup dengan "}" (posisi ${i + 1}).`, source);
    const inner = trimmed.slice(i + 1, close).trim();
    const m = /^([a-z_]+)(?::(\d+))?$/.exec(inner);
    const name = m?.[1];
    if (m === null || name === undefined || !isPlaceholder(name)) {
      const allowed = placeholders.map((p) => `{${p}} (${placeholderHelp[p]})`).join(', ');
      throw invalid(`Bagian {${inner}} pada format nomor agenda tidak dikenal. Bagian yang dapat dipakai: ${allowed}.`, source);
    }
    const pad = m[2] === undefined ? 0 : Number(m[2]);
    if (pad > 0 && name !== 'urut') throw invalid(`Hanya {urut} yang dapat diberi jumlah digit (contoh {urut:4}); {${inner}} tidak.`, source);
    if (pad > maxPad) throw invalid(`Jumlah digit nomor urut paling banyak ${maxPad} (contoh {urut:4}).`, source);
    if (text !== '') { parts.push({ kind: 'text', text }); text = ''; }
    parts.push({ kind: 'field', name, pad });
    i = close + 1;
  }
  if (text !== '') parts.push({ kind: 'text', text });
  const fields = parts.filter((p) => p.kind === 'field');
  if (!fields.some((p) => p.name === 'urut')) throw invalid('Format nomor agenda harus memuat {urut}; tanpa nomor urut, dua surat bisa mendapat nomor yang sama.', source);
  if (fields.filter((p) => p.name === 'urut').length > 1) throw invalid('Format nomor agenda hanya boleh memuat satu {urut}.', source);
  return { source: trimmed, parts };
}

/** Whether the template prints this part, so a letter numbered with it must supply its value. */
export function templateUses(template: AgendaTemplate, name: Placeholder): boolean {
  return template.parts.some((p) => p.kind === 'field' && p.name === name);
}

export interface AgendaNumberValues {
  urut: number;
  /** The registration date decides tahun, bulan and bulan_romawi. */
  date: { year: number; month: number };
  kode_unit?: string;
  unit?: string;
  klasifikasi?: string;
}

const romanMonths = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII'] as const;

const missingMessage: Record<'kode_unit' | 'unit' | 'klasifikasi', string> = {
  kode_unit: 'Kode unit belum diatur, padahal format nomor agenda kantor ini memakainya. Minta admin mengisinya di Pengaturan.',
  unit: 'Nama singkat unit belum diatur, padahal format nomor agenda kantor ini memakainya. Minta admin mengisinya di Pengaturan.',
  klasifikasi: 'Kode klasifikasi wajib diisi karena format nomor agenda kantor ini memakainya.',
};

export function renderAgendaNumber(template: AgendaTemplate, values: AgendaNumberValues): string {
  const { year, month } = values.date;
  if (!Number.isInteger(values.urut) || values.urut < 1) throw new RangeError(`sequence number must be a positive integer, got ${values.urut}`);
  if (!Number.isInteger(month) || month < 1 || month > 12) throw new RangeError(`month out of range: ${month}`);
  return template.parts.map((part) => {
    if (part.kind === 'text') return part.text;
    switch (part.name) {
      case 'urut': return String(values.urut).padStart(part.pad, '0');
      case 'tahun': return String(year);
      case 'bulan': return String(month).padStart(2, '0');
      case 'bulan_romawi': return romanMonths[month - 1]!;
      case 'kode_unit':
      case 'unit':
      case 'klasifikasi': {
        const value = values[part.name]?.trim();
        if (value === undefined || value === '') throw new AppError('VALIDATION', missingMessage[part.name], { field: part.name });
        return value;
      }
    }
  }).join('');
}

/**
 * A range of sequence numbers of one office and year that this desk may hand out. A standalone desk
 * owns an unbounded block from 1; a synced desk holds blocks leased from the server, disjoint from
 * every other desk's.
 */
export interface NumberBlock {
  office: string;
  year: number;
  from: number;
  /** Inclusive upper end; null when the block is unbounded. */
  to: number | null;
}

export function unboundedBlock(office: string, year: number): NumberBlock {
  return { office, year, from: 1, to: null };
}

/** What the store keeps per desk: its blocks and the last number it issued per office and year. */
export interface NumberingState {
  blocks: NumberBlock[];
  lastIssued: Array<{ office: string; year: number; urut: number }>;
}

const key = (office: string, year: number) => `${office}\u0000${year}`;

function overlaps(a: NumberBlock, b: NumberBlock): boolean {
  const aTo = a.to ?? Infinity;
  const bTo = b.to ?? Infinity;
  return a.office === b.office && a.year === b.year && a.from <= bTo && b.from <= aTo;
}

function checkBlock(block: NumberBlock): void {
  const ok = block.office.trim() !== '' && Number.isInteger(block.year) && block.year >= 1900 && block.year <= 9999
    && Number.isInteger(block.from) && block.from >= 1 && (block.to === null || (Number.isInteger(block.to) && block.to >= block.from));
  if (!ok) throw new RangeError(`invalid number block ${JSON.stringify(block)}`);
}

/**
 * Hands out sequence numbers from the desk's blocks, in increasing order per office and year, so a
 * number is never given twice even when blocks are added later. Counters restart each year because
 * each year has its own blocks.
 */
export class NumberAllocator {
  readonly #blocks = new Map<string, NumberBlock[]>();
  readonly #last = new Map<string, number>();

  constructor(state: NumberingState = { blocks: [], lastIssued: [] }) {
    for (const block of state.blocks) this.addBlock(block);
    for (const { office, year, urut } of state.lastIssued) {
      const k = key(office, year);
      this.#last.set(k, Math.max(this.#last.get(k) ?? 0, urut));
    }
  }

  /** Adds a block; one that overlaps a block already held is refused (the server leased it twice). */
  addBlock(block: NumberBlock): void {
    checkBlock(block);
    const k = key(block.office, block.year);
    const list = this.#blocks.get(k) ?? [];
    const clash = list.find((b) => overlaps(b, block));
    if (clash !== undefined) throw new RangeError(`number block ${block.from}..${block.to ?? '∞'} overlaps ${clash.from}..${clash.to ?? '∞'} of ${block.office}/${block.year}`);
    list.push({ ...block });
    list.sort((a, b) => a.from - b.from);
    this.#blocks.set(k, list);
  }

  /** The number the next registration would get, or null when the blocks are used up. */
  peek(office: string, year: number): number | null {
    const last = this.#last.get(key(office, year)) ?? 0;
    for (const block of this.#blocks.get(key(office, year)) ?? []) {
      const candidate = Math.max(block.from, last + 1);
      if (block.to === null || candidate <= block.to) return candidate;
    }
    return null;
  }

  /** Takes the next number. Throws AGENDA_NUMBERS_EXHAUSTED (and changes nothing) when none is left. */
  next(office: string, year: number): number {
    const n = this.peek(office, year);
    if (n === null) {
      throw new AppError('AGENDA_NUMBERS_EXHAUSTED', undefined, { office, year });
    }
    this.#last.set(key(office, year), n);
    return n;
  }

  /** How many numbers are left for this office and year; null means unbounded. */
  remaining(office: string, year: number): number | null {
    const last = this.#last.get(key(office, year)) ?? 0;
    let total = 0;
    for (const block of this.#blocks.get(key(office, year)) ?? []) {
      if (block.to === null) return null;
      const start = Math.max(block.from, last + 1);
      if (start <= block.to) total += block.to - start + 1;
    }
    return total;
  }

  snapshot(): NumberingState {
    const blocks = [...this.#blocks.values()].flat().map((b) => ({ ...b }));
    const lastIssued = [...this.#last.entries()].map(([k, urut]) => {
      const [office, year] = k.split('\u0000') as [string, string];
      return { office, year: Number(year), urut };
    });
    return { blocks, lastIssued };
  }
}
