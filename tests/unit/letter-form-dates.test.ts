// The Catat form's dates as a clerk types them (hh/bb/tttt): the slashes put in while typing, every
// common way of writing a date read back, and an empty or impossible date named before anything is sent.
import { describe, expect, it } from 'vitest';
import { dateProblems, emptyForm, parseShownDate, shownDate, toFields, typedDate } from '../../renderer/src/features/letters/incoming/letter-form.ts';

describe('dates in the Catat form', () => {
  it('puts the slashes in as the digits arrive, and leaves what the clerk wrote with slashes of their own', () => {
    const steps = [...'05122026'].reduce<string[]>((shown, key) => [...shown, typedDate(`${shown.at(-1) ?? ''}${key}`)], []);
    expect(steps).toEqual(['0', '05', '05/1', '05/12', '05/12/2', '05/12/20', '05/12/202', '05/12/2026']);
    expect(typedDate('5/')).toBe('5/');
    expect(typedDate('5/12/2026')).toBe('5/12/2026');
    expect(typedDate('05/12/20261')).toBe('05/12/2026');
  });

  it('reads the ways people write a date, and only dates of the calendar', () => {
    for (const written of ['05/12/2026', '5/12/2026', '05-12-2026', '5.12.2026', '05122026']) expect(parseShownDate(written), written).toBe('2026-12-05');
    expect(parseShownDate('29/02/2028')).toBe('2028-02-29');
    for (const wrong of ['31/02/2026', '29/02/2026', '00/01/2026', '12/13/2026', '2026-12-05', '', '5 Desember 2026']) expect(parseShownDate(wrong), wrong).toBeUndefined();
    expect(shownDate('2026-03-12')).toBe('12/03/2026');
  });

  it('names an empty date as required and an impossible one as invalid; the fields go to main as ISO dates', () => {
    const values = { ...emptyForm('2026-12-05'), letterDate: '31/02/2026' };
    expect(values.receivedDate).toBe('05/12/2026');
    expect([...dateProblems(values)]).toEqual([['letterDate', 'invalid']]);
    expect([...dateProblems({ ...values, receivedDate: ' ' })]).toEqual([['receivedDate', 'required'], ['letterDate', 'invalid']]);
    expect(toFields({ ...values, letterDate: '1/12/2026' })).toMatchObject({ receivedDate: '2026-12-05', letterDate: '2026-12-01' });
  });
});
