// The desk's own channels: what it is, Beranda's figures, its settings, its connection to the
// server, the device worker's state and whether its data file can be trusted.
import { localDate } from '../../common/dates.ts';
import type { Capability, Desk } from './desk.ts';

export function deskCapability(desk: Desk): Capability {
  const { store, bus, connectivity, devices } = desk;
  return {
    handlers: {
      'app.info': () => ({ ...desk.app, dataDir: desk.dataDir }),
      'dashboard.get': () => store.dashboard(localDate(new Date())),
      'settings.get': () => store.settings.get(),
      'settings.update': (patch) => {
        const settings = store.settings.update(patch, desk.actor());
        bus.emit('settings.changed', settings);
        bus.emit('dashboard.changed', {});
        if (patch.serverUrl !== undefined) void connectivity.checkNow();
        return settings;
      },
      'connectivity.get': () => connectivity.current(),
      'devices.status': () => devices.status(),
      'storage.status': () => desk.storage.status(),
      'storage.recover': (request) => desk.storage.recover(request),
    },
  };
}
