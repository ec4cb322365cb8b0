// Pindai's scanner list between visits: what was found before is offered at once while the drivers
// are asked again; a quick driver's answer replaces its scanners before a slow one has answered,
// the slow one's scanners staying until it does; a search asked for during another (a scanner was
// just added) runs once more after it; a failed search keeps the list known before.
import { describe, expect, it } from 'vitest';
import { collectingLogger } from '../../common/logger.ts';
import type { DeviceEvent } from '../../main/devices/protocol.ts';
import type { Scanner } from '../../main/devices/scanner/types.ts';
import { createScannerList, type ScannerListing, type ScannerListView } from '../../main/scan/scanner-list.ts';

const scanner = (driver: string, id: string): Scanner => ({
  id: `${driver}:${id}`, driver, label: id, vendor: '', model: id, demo: false, connection: driver === 'escl' ? 'network' : 'local', address: null,
  capabilities: { sources: ['flatbed'], modes: ['gray'], resolutions: [200], maxArea: null, paperSizes: ['a4'] },
});

/** Drivers the test answers by hand: each `list()` waits until the test ends it. */
function rig() {
  const listeners = new Set<(e: DeviceEvent) => void>();
  const searches: { answer(driver: string, scanners: Scanner[]): void; finish(listing: ScannerListing): void; fail(err: Error): void }[] = [];
  const views: ScannerListView[] = [];
  const list = createScannerList({
    list: () => new Promise<ScannerListing>((resolve, reject) => {
      searches.push({
        answer: (driver, scanners) => { for (const l of listeners) l({ name: 'scanner.listed', payload: { driver, scanners, problems: [] } } as DeviceEvent); },
        finish: resolve,
        fail: reject,
      });
    }),
    onEvent: (listener) => { listeners.add(listener); return () => listeners.delete(listener); },
    changed: (view) => views.push(view),
    log: collectingLogger(),
  });
  return { list, searches, views };
}

const ids = (view: ScannerListView) => view.listing?.scanners.map((s) => s.id) ?? null;
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('the scanner list between visits', () => {
  it('answers the first visit at the first driver’s answer, while the slow driver is still asked', async () => {
    const { list, searches } = rig();
    const first = list.refresh();
    searches[0]!.answer('sane', [scanner('sane', 'test:0')]);
    const view = await first;
    expect(ids(view)).toEqual(['sane:test:0']);
    expect(view.refreshing).toBe(true);
  });

  it('offers the list known at once on the next visit, and replaces each driver’s scanners as it answers', async () => {
    const { list, searches, views } = rig();
    const first = list.refresh();
    searches[0]!.finish({ scanners: [scanner('sane', 'test:0'), scanner('escl', 'lantai-2')], problems: [] });
    await first;
    await settle();

    const again = await list.refresh();
    expect(again).toMatchObject({ refreshing: true });
    expect(ids(again)).toEqual(['sane:test:0', 'escl:lantai-2']);
    searches[1]!.answer('sane', [scanner('sane', 'test:1')]);
    // The network driver has not answered: its scanner stays.
    expect(ids(views.at(-1)!)).toEqual(['sane:test:1', 'escl:lantai-2']);
    searches[1]!.finish({ scanners: [scanner('sane', 'test:1')], problems: [] });
    await settle();
    expect(views.at(-1)).toMatchObject({ refreshing: false });
    expect(ids(views.at(-1)!)).toEqual(['sane:test:1']);
  });

  it('searches once more after the search under way when asked during it', async () => {
    const { list, searches } = rig();
    const first = list.refresh();
    void list.refresh();
    void list.refresh();
    searches[0]!.finish({ scanners: [scanner('sane', 'test:0')], problems: [] });
    await first;
    await settle();
    expect(searches).toHaveLength(2);
    expect(list.view().refreshing).toBe(true);
  });

  it('keeps the list known before when a search fails, and tells the first visit when nothing is known', async () => {
    const { list, searches } = rig();
    const first = list.refresh();
    searches[0]!.fail(new Error('worker gone'));
    await expect(first).rejects.toThrow('worker gone');

    const second = list.refresh();
    searches[1]!.finish({ scanners: [scanner('sane', 'test:0')], problems: [] });
    await second;
    await settle();
    void list.refresh();
    searches[2]!.fail(new Error('worker gone'));
    await settle();
    expect(list.view()).toMatchObject({ refreshing: false });
    expect(ids(list.view())).toEqual(['sane:test:0']);
  });
});
