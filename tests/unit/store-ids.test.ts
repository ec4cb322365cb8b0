import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../common/ids.ts';

const shape = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('UUIDv7 ids', () => {
  it('carry the millisecond they were made in, as RFC 9562 lays out', () => {
    const at = Date.UTC(2026, 10, 23, 9, 30);
    const id = uuidv7(at + 60_000);
    expect(id).toMatch(shape);
    expect(parseInt(id.replaceAll('-', '').slice(0, 12), 16)).toBe(at + 60_000);
  });

  it('thousands made in the same millisecond still sort in the order they were made', () => {
    const at = Date.UTC(2026, 10, 23, 10, 0);
    const ids = Array.from({ length: 5000 }, () => uuidv7(at + 120_000));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    ids.forEach((id) => expect(id).toMatch(shape));
  });

  it('a clock that steps back does not make a later id sort earlier', () => {
    const at = Date.UTC(2026, 10, 23, 11, 0);
    const before = uuidv7(at);
    const after = uuidv7(at - 5_000);
    expect(after > before).toBe(true);
  });
});
