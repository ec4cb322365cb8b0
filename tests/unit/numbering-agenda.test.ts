// Agenda numbering: templates an admin types, and blocks of numbers that desks hand out without
// ever giving the same number of an office and year to two letters.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../common/errors.ts';
import { NumberAllocator, parseAgendaTemplate, renderAgendaNumber, unboundedBlock, type NumberBlock } from '../../main/letters/numbering/numbering.ts';

const march2026 = { year: 2026, month: 3 };

function validationMessage(fn: () => unknown): string {
  try { fn(); } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('VALIDATION');
    return (err as AppError).message;
  }
  throw new Error('expected a validation error');
}

/** Deterministic PRNG so a failing run can be replayed. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('the agency admin sets the agenda number template', () => {
  it('renders the sequence, unit code and year as the agency writes them', () => {
    const t = parseAgendaTemplate('{urut}/{kode_unit}/{tahun}');
    expect(renderAgendaNumber(t, { urut: 7, date: march2026, kode_unit: 'DISKOMINFO' })).toBe('7/DISKOMINFO/2026');
  });

  it('pads the sequence number to the digits the agency asks for, and writes months in Roman numerals', () => {
    const t = parseAgendaTemplate('{klasifikasi}/{urut:4}/{unit}/{bulan_romawi}/{tahun}');
    expect(renderAgendaNumber(t, { urut: 42, date: march2026, klasifikasi: '005', unit: 'Setda' })).toBe('005/0042/Setda/III/2026');
    expect(renderAgendaNumber(t, { urut: 123456, date: { year: 2026, month: 12 }, klasifikasi: '800', unit: 'BKD' })).toBe('800/123456/BKD/XII/2026');
    expect(renderAgendaNumber(parseAgendaTemplate('SM-{tahun}{bulan}-{urut:3}'), { urut: 5, date: march2026 })).toBe('SM-202603-005');
  });

  it('tells the admin which part of the template is unknown and what may be used instead', () => {
    const msg = validationMessage(() => parseAgendaTemplate('{urut}/{kode}/{tahun}'));
    expect(msg).toContain('{kode}');
    expect(msg).toContain('tidak dikenal');
    expect(msg).toContain('{kode_unit}');
  });

  it('refuses templates that could give two letters the same number or cannot be read', () => {
    expect(validationMessage(() => parseAgendaTemplate('{kode_unit}/{tahun}'))).toContain('{urut}');
    expect(validationMessage(() => parseAgendaTemplate('{urut}/{urut}/{tahun}'))).toContain('satu {urut}');
    expect(validationMessage(() => parseAgendaTemplate('{urut/{tahun}'))).toContain('tidak dikenal');
    expect(validationMessage(() => parseAgendaTemplate('{urut}/{tahun'))).toContain('tidak ditutup');
    expect(validationMessage(() => parseAgendaTemplate('urut}/{tahun}'))).toContain('tanpa pasangan');
    expect(validationMessage(() => parseAgendaTemplate('{urut}/{tahun:4}'))).toContain('Hanya {urut}');
    expect(validationMessage(() => parseAgendaTemplate('   '))).toContain('wajib diisi');
  });

  it('asks the clerk for the classification code when the template uses it', () => {
    const t = parseAgendaTemplate('{klasifikasi}/{urut}/{tahun}');
    expect(validationMessage(() => renderAgendaNumber(t, { urut: 1, date: march2026, klasifikasi: ' ' }))).toContain('klasifikasi wajib diisi');
  });
});

describe('a desk hands out agenda numbers from its blocks', () => {
  it('a standalone desk numbers from 1 and starts again at 1 in the new year', () => {
    const alloc = new NumberAllocator({ blocks: [unboundedBlock('dinkes', 2026), unboundedBlock('dinkes', 2027)], lastIssued: [] });
    expect([alloc.next('dinkes', 2026), alloc.next('dinkes', 2026), alloc.next('dinkes', 2026)]).toEqual([1, 2, 3]);
    expect(alloc.next('dinkes', 2027)).toBe(1);
    expect(alloc.next('dinkes', 2026)).toBe(4);
    expect(alloc.remaining('dinkes', 2026)).toBeNull();
  });

  it('after a restart the desk continues after the last number it issued', () => {
    const before = new NumberAllocator({ blocks: [unboundedBlock('dinkes', 2026)], lastIssued: [] });
    for (let i = 0; i < 5; i++) before.next('dinkes', 2026);
    const after = new NumberAllocator(before.snapshot());
    expect(after.next('dinkes', 2026)).toBe(6);
  });

  it('when its block is used up the desk says so and gives nothing out, then continues in the next block', () => {
    const alloc = new NumberAllocator({ blocks: [{ office: 'bkd', year: 2026, from: 11, to: 12 }], lastIssued: [] });
    expect([alloc.next('bkd', 2026), alloc.next('bkd', 2026)]).toEqual([11, 12]);
    expect(alloc.remaining('bkd', 2026)).toBe(0);
    let error: unknown;
    try { alloc.next('bkd', 2026); } catch (err) { error = err; }
    expect((error as AppError).code).toBe('AGENDA_NUMBERS_EXHAUSTED');
    expect(alloc.peek('bkd', 2026)).toBeNull();
    alloc.addBlock({ office: 'bkd', year: 2026, from: 31, to: 40 });
    expect(alloc.next('bkd', 2026)).toBe(31);
    expect(alloc.remaining('bkd', 2026)).toBe(9);
  });

  it('never takes a number from a block it does not hold, nor from a year it has no block for', () => {
    const alloc = new NumberAllocator({ blocks: [{ office: 'bkd', year: 2026, from: 1, to: 3 }], lastIssued: [] });
    expect(alloc.peek('bkd', 2027)).toBeNull();
    expect(alloc.peek('dinkes', 2026)).toBeNull();
    // A block below the last issued number gives nothing out: numbers only go up.
    alloc.next('bkd', 2026); alloc.next('bkd', 2026); alloc.next('bkd', 2026);
    expect(() => alloc.addBlock({ office: 'bkd', year: 2026, from: 2, to: 5 })).toThrow(/overlaps/);
  });

  it('10 000 registrations on 3 desks of one office, each with its own leased blocks, never share a number, across a year change', () => {
    const random = mulberry32(20260312);
    const office = 'setda';
    const template = parseAgendaTemplate('{urut:4}/{kode_unit}/{tahun}');
    // The simulated server leases disjoint blocks per office and year, in varied sizes.
    const nextFree = new Map<number, number>();
    const lease = (year: number): NumberBlock => {
      const from = nextFree.get(year) ?? 1;
      const size = 20 + Math.floor(random() * 300);
      nextFree.set(year, from + size);
      return { office, year, from, to: from + size - 1 };
    };
    const desks = ['meja-1', 'meja-2', 'meja-3'].map((name) => ({ name, alloc: new NumberAllocator(), held: [] as NumberBlock[], issued: [] as Array<{ year: number; urut: number }> }));
    for (const desk of desks) { const b = lease(2026); desk.alloc.addBlock(b); desk.held.push(b); }

    const given = new Map<string, string>();
    let exhaustedSeen = 0;
    for (let i = 0; i < 10_000; i++) {
      const desk = desks[Math.floor(random() * desks.length)]!;
      const year = i < 6_000 ? 2026 : 2027;
      let urut: number;
      try {
        urut = desk.alloc.next(office, year);
      } catch (err) {
        expect((err as AppError).code).toBe('AGENDA_NUMBERS_EXHAUSTED');
        exhaustedSeen++;
        const b = lease(year);
        desk.alloc.addBlock(b);
        desk.held.push(b);
        urut = desk.alloc.next(office, year);
      }
      const number = renderAgendaNumber(template, { urut, date: { year, month: 1 + (i % 12) }, kode_unit: 'ORG' });
      const previous = given.get(number);
      expect(previous, `${number} given to ${desk.name} and ${previous}`).toBeUndefined();
      given.set(number, desk.name);
      expect(desk.held.some((b) => b.year === year && urut >= b.from && (b.to === null || urut <= b.to))).toBe(true);
      desk.issued.push({ year, urut });
    }
    expect(given.size).toBe(10_000);
    expect(exhaustedSeen).toBeGreaterThan(3);
    for (const desk of desks) {
      const in2027 = desk.issued.filter((x) => x.year === 2027).map((x) => x.urut);
      expect(in2027.length).toBeGreaterThan(0);
      // Each desk's numbers only go up within a year.
      expect(in2027).toEqual([...in2027].sort((a, b) => a - b));
    }
    // The new year starts again from the bottom: some desk got a number from 2027's first block.
    expect(Math.min(...desks.flatMap((d) => d.issued.filter((x) => x.year === 2027).map((x) => x.urut)))).toBe(1);
  });
});
