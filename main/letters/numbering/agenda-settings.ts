// Pengaturan's part of the agenda: the agency's number formats — the incoming agenda's and the
// outgoing book's, each a template and a unit code — and the archival classification list. On a desk working with a server only an admin kantor
// (or the super admin) changes them, as they are the office's, not the clerk's; a desk without a
// server belongs to whoever sits at it.
import { localDate } from '../../../common/dates.ts';
import type { numbering } from '../../../common/ipc/numbering.ts';
import { AppError } from '../../../common/errors.ts';
import type { Handlers } from '../../ipc/router.ts';
import type { AgendaBook, AgendaConfig } from '../../store/agenda.ts';
import type { Store } from '../../store/store.ts';
import { peekAgendaNumber, type LetterServer } from './number-reserve.ts';
import { parseAgendaTemplate, renderAgendaNumber, templateUses, type AgendaTemplate } from './numbering.ts';

/** The server's office administrators (server/auth roles). */
const adminRoles: readonly string[] = ['admin_kantor', 'super_admin'];

/** A template with {klasifikasi} is previewed with this code ("Undangan", the commonest head). */
const sampleClassification = '005';

export interface AgendaSettingsDeps {
  store: Store;
  /** Absent, or a url of '': a desk without a server. */
  server?: LetterServer;
  actor(): string;
  now(): Date;
}

/** Whether the person at the desk may change the number format and the classification list. */
export function mayChangeAgendaSettings(server: Pick<LetterServer, 'url' | 'user'> | undefined): boolean {
  if (server === undefined || server.url() === '') return true;
  return server.user()?.roles.some((r) => adminRoles.includes(r)) ?? false;
}

/** Refuses, changing nothing, when mayChangeAgendaSettings says no. */
export function requireAgendaAdmin(server: LetterServer | undefined): void {
  if (!mayChangeAgendaSettings(server)) throw new AppError('ADMIN_ROLE_REQUIRED', undefined, { roles: server?.user()?.roles ?? [] });
}

/** The same shape as the router's (and letters.register's) field problems, so the form puts it next to the field. */
function fieldInvalid(field: string, message: string): AppError {
  return new AppError('VALIDATION', message, { issues: [{ path: [field], message }] });
}

function checkedTemplate(template: string): AgendaTemplate {
  try {
    return parseAgendaTemplate(template);
  } catch (err) {
    if (err instanceof AppError && err.code === 'VALIDATION') throw fieldInvalid('template', err.message);
    throw err;
  }
}

export function agendaSettingsHandlers(deps: AgendaSettingsDeps): Pick<Handlers, Exclude<keyof typeof numbering.channels, 'letters.classifications' | 'letters.classification.save'>> {
  const { store, server } = deps;
  const hasServer = () => server !== undefined && server.url() !== '';
  const books = {
    in: { config: () => store.agenda.agendaConfig(), save: store.agenda.saveAgendaConfig },
    out: { config: () => store.agenda.outgoingConfig(), save: store.agenda.saveOutgoingConfig },
  } as const;
  const settings = (book: AgendaBook) => ({ config: books[book].config(), editable: mayChangeAgendaSettings(server) });

  function save(book: AgendaBook, config: AgendaConfig) {
    requireAgendaAdmin(server);
    const template = checkedTemplate(config.template);
    books[book].save({ template: template.source, unitCode: config.unitCode }, deps.actor());
    return settings(book);
  }

  function preview(book: AgendaBook, config: AgendaConfig) {
    const template = checkedTemplate(config.template);
    const today = localDate(deps.now(), store.settings.get().timeZone);
    const year = Number(today.slice(0, 4));
    const next = peekAgendaNumber(store, year, hasServer(), book);
    const usesClassification = templateUses(template, 'klasifikasi');
    const label = renderAgendaNumber(template, {
      // A desk out of numbers shows the number after its last one: the format is what is previewed.
      urut: next ?? store.agenda.lastIssued(year, book) + 1,
      date: { year, month: Number(today.slice(5, 7)) },
      kode_unit: config.unitCode,
      unit: config.unitCode,
      klasifikasi: sampleClassification,
    });
    return { label, sampleClassification: usesClassification ? sampleClassification : null, numbersHeld: next !== null };
  }

  return {
    'letters.agendaConfig': () => settings('in'),
    'letters.agendaConfig.save': (config) => save('in', config),
    'letters.agendaConfig.preview': (config) => preview('in', config),
    'letters.outgoingConfig': () => settings('out'),
    'letters.outgoingConfig.save': (config) => save('out', config),
    'letters.outgoingConfig.preview': (config) => preview('out', config),

    'letters.classification.add': (entry) => {
      requireAgendaAdmin(server);
      const existing = store.agenda.classification(entry.code);
      if (existing !== undefined) throw fieldInvalid('code', `Kode ${entry.code} sudah ada (${existing.name}). Cari kode itu di daftar untuk mengubah namanya.`);
      return store.agenda.saveClassification(entry, deps.actor());
    },
  };
}
