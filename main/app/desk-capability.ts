// The desk's own channels: what it is, Beranda's figures, its settings, its connection to the
// server, the device worker's state and whether its data file can be trusted.
import { localDate } from '../../common/dates.ts';
import { AppError } from '../../common/errors.ts';
import type { Capability, Desk } from './desk.ts';
import { setOfficeTimeZone } from '../office/record.ts';

const adminRoles: readonly string[] = ['admin_kantor', 'super_admin'];

/** Every desk of an office shows its times in the office's zone: with a server, only its admin changes it. */
function mayChangeTimeZone(desk: Desk): boolean {
  if (desk.sync.serverUrl() === '') return true;
  return desk.sync.session.user()?.roles.some((r) => adminRoles.includes(r)) ?? false;
}

export function deskCapability(desk: Desk): Capability {
  const { store, bus, connectivity, devices } = desk;
  return {
    handlers: {
      'app.info': () => ({ ...desk.app, dataDir: desk.dataDir }),
      'dashboard.get': () => store.dashboard(localDate(new Date(), store.settings.get().timeZone)),
      'settings.get': () => store.settings.get(),
      'settings.update': (patch) => {
        const { timeZone, ...rest } = patch;
        const officeId = desk.sync.serverUrl() === '' ? null : desk.sync.session.user()?.officeId ?? null;
        if (timeZone !== undefined && timeZone !== store.settings.get().timeZone) {
          if (!mayChangeTimeZone(desk)) throw new AppError('TIME_ZONE_ADMIN_REQUIRED');
          // With a server the zone is the office's record: the change goes to the server, and from it to every desk of the office.
          if (officeId !== null) {
            setOfficeTimeZone(store, officeId, timeZone, desk.actor());
            desk.syncSoon();
          }
        }
        const settings = store.settings.update(officeId !== null ? rest : patch, desk.actor());
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
