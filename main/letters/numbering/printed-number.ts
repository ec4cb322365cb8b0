// A letter of another desk, known here only from the office's feed, numbered as the office prints it:
// the office's agenda number format (which this desk holds) written from the feed's sequence number,
// date and classification. Antrian Sinkron, the personal to-do and the disposition trail name such a
// letter by it, so a person reads the number that is on the paper ("005/12/BU/2026").
import { localDate } from '../../../common/dates.ts';
import type { LetterData } from '../../../common/protocol/letters.ts';
import type { Store } from '../../store/store.ts';
import { parseAgendaTemplate, renderAgendaNumber } from './numbering.ts';

/**
 * The printed agenda number of a feed letter; null where the office's format asks for what this desk
 * does not know (a unit code not set here, a letter without classification).
 */
export function remoteNumber(store: Pick<Store, 'agenda' | 'settings'>, remote: Pick<LetterData, 'direction' | 'agendaNumber' | 'year' | 'receivedAt' | 'createdAt' | 'classification'>): string | null {
  const config = remote.direction === 'in' ? store.agenda.agendaConfig() : store.agenda.outgoingConfig();
  const day = /^\d{4}-\d{2}/.test(remote.receivedAt ?? '') ? remote.receivedAt! : localDate(new Date(remote.createdAt), store.settings.get().timeZone);
  try {
    return renderAgendaNumber(parseAgendaTemplate(config.template), {
      urut: remote.agendaNumber, date: { year: remote.year, month: Number(day.slice(5, 7)) },
      kode_unit: config.unitCode, unit: config.unitCode, klasifikasi: remote.classification,
    });
  } catch {
    return null;
  }
}
