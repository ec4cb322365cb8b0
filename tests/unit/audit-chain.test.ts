import { describe, expect, it } from 'vitest';
import { canonicalJson, expectedHash, GENESIS_HASH, hashEntry, hashEntryKeyed, verifyChain, type AuditEntry, type ChainKey } from '../../main/audit/chain.ts';

/** A well-formed log as the store would append it (keyed from `key.since` on, when given). */
function chain(length: number, key?: ChainKey): AuditEntry[] {
  const entries: AuditEntry[] = [];
  for (let seq = 1; seq <= length; seq++) {
    const fields = {
      seq,
      at: new Date(Date.UTC(2026, 10, 23, 8, 0, seq)).toISOString(),
      actor: 'meja:Meja Agenda',
      action: 'letter.registered',
      entity: 'letter',
      entityId: `letter-${seq}`,
      details: canonicalJson({ agendaNumber: seq, agendaYear: 2026 }),
      prevHash: entries.at(-1)?.hash ?? GENESIS_HASH,
    };
    entries.push({ ...fields, hash: expectedHash(fields, key) });
  }
  return entries;
}
const headOf = (entries: AuditEntry[]) => ({ seq: entries.at(-1)!.seq, hash: entries.at(-1)!.hash });

describe('audit chain', () => {
  it('an untouched log of a thousand entries verifies', () => {
    const log = chain(1000);
    expect(verifyChain(log, { head: headOf(log) })).toEqual({ ok: true, entries: 1000 });
  });

  it('an empty log on a new desk verifies against the genesis anchor', () => {
    expect(verifyChain([], { head: { seq: 0, hash: GENESIS_HASH } })).toEqual({ ok: true, entries: 0 });
  });

  it('the same details written with their keys in another order hash the same', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}');
  });

  it('entries added since the last check are verified on their own, continuing from it', () => {
    const log = chain(1000);
    const checked = log[599]!;
    expect(verifyChain(log.slice(600), { after: checked, head: headOf(log) })).toEqual({ ok: true, entries: 400 });
    expect(verifyChain(log.slice(601), { after: checked, head: headOf(log) }).firstBad).toEqual({ seq: 601, reason: 'deleted' });
  });

  it('names an entry whose actor was changed afterwards', () => {
    const log = chain(10);
    log[4] = { ...log[4]!, actor: 'admin' };
    expect(verifyChain(log, { head: headOf(log) }).firstBad).toEqual({ seq: 5, reason: 'edited' });
  });

  it('names the place where an entry was taken out of the middle', () => {
    const log = chain(10);
    log.splice(6, 1);
    expect(verifyChain(log, { head: headOf(log) }).firstBad).toEqual({ seq: 7, reason: 'deleted' });
  });

  it('names the first entry when it was taken out', () => {
    const log = chain(5).slice(1);
    expect(verifyChain(log, { head: headOf(log) }).firstBad).toEqual({ seq: 1, reason: 'deleted' });
  });

  it('sees a cut-off tail only with the head anchor, and says so without it', () => {
    const full = chain(10);
    const cut = full.slice(0, 8);
    expect(verifyChain(cut, { head: headOf(full) }).firstBad).toEqual({ seq: 9, reason: 'deleted' });
    // Without an anchor a shorter chain is still a valid chain: the limitation is real, not hidden.
    expect(verifyChain(cut).ok).toBe(true);
  });

  it('names two entries that were swapped', () => {
    const log = chain(10);
    const [third, seventh] = [log[2]!, log[6]!];
    log[2] = { ...seventh, seq: 3 };
    log[6] = { ...third, seq: 7 };
    expect(verifyChain(log, { head: headOf(log) }).firstBad).toEqual({ seq: 3, reason: 'reordered' });
  });

  it('calls a rehashed forgery a broken link at the next entry', () => {
    const log = chain(6);
    const forged = { ...log[2]!, actor: 'admin' };
    log[2] = { ...forged, hash: hashEntry(forged) };
    expect(verifyChain(log, { head: headOf(log) }).firstBad).toEqual({ seq: 4, reason: 'broken-link' });
  });
});

describe('keyed audit chain', () => {
  const key: ChainKey = { key: new Uint8Array(32).fill(1), since: 6 };

  it('unkeyed entries before the key and keyed ones after it verify as one chain', () => {
    const log = chain(12, key);
    expect(log[4]!.hash).toBe(hashEntry(log[4]!));
    expect(log[5]!.hash).toBe(hashEntryKeyed(log[5]!, key.key));
    expect(verifyChain(log, { head: headOf(log), key })).toEqual({ ok: true, entries: 12 });
  });

  it('a keyed entry rewritten with the unkeyed formula, or under another key, is an edit', () => {
    for (const forge of [(e: AuditEntry) => hashEntry(e), (e: AuditEntry) => hashEntryKeyed(e, new Uint8Array(32).fill(2))]) {
      const log = chain(12, key);
      log[8] = { ...log[8]!, hash: forge(log[8]!) };
      expect(verifyChain(log, { key }).firstBad).toEqual({ seq: 9, reason: 'edited' });
    }
  });

  it('entries chained under a lost key are checked for their links only, and said to be', () => {
    const lost: ChainKey = { key: new Uint8Array(32).fill(3), since: 1 };
    const before = chain(5, lost);
    const now: ChainKey = { key: new Uint8Array(32).fill(4), since: 6, uncheckable: { from: 1, to: 5 } };
    const fields = { ...before[4]!, seq: 6, prevHash: before[4]!.hash, entityId: 'letter-6' };
    const log = [...before, { ...fields, hash: hashEntryKeyed(fields, now.key) }];
    expect(verifyChain(log, { head: headOf(log), key: now })).toEqual({ ok: true, entries: 6, uncheckable: { from: 1, to: 5 } });
    // A broken link inside the range is still seen.
    const cut = [...log.slice(0, 2), ...log.slice(3)];
    expect(verifyChain(cut, { key: now }).firstBad).toEqual({ seq: 3, reason: 'deleted' });
  });
});

