// The Catat form's data, apart from React: the fields in Tab order, the empty form, what OCR
// proposed for which field, dates as the clerk sees and types them (hh/bb/tttt), and main's
// refusals mapped back onto the fields they concern.
import type { ReceivedDelivery } from '../../../../../common/ipc/delivery.ts';
import type { IncomingLetterFields, LetterProposalsReply } from '../../../../../common/ipc/incoming.ts';
import type { IpcError } from '../../../../../common/ipc/index.ts';

export type FieldName = keyof IncomingLetterFields;
/** What the inputs hold: text, as typed (the attachment count too, and dates as hh/bb/tttt, until it is sent). */
export type FormValues = Record<FieldName, string>;

export const dateFields: ReadonlySet<FieldName> = new Set<FieldName>(['receivedDate', 'letterDate']);

/** 2026-12-05 → 05/12/2026, as a date field shows it; anything else unchanged. */
export function shownDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

/**
 * A date field's text as the clerk types it, the slashes put in as the digits arrive (05122026 →
 * 05/12/2026); a slash or a shorter form the clerk typed (5/12/2026) is left as it is.
 */
export function typedDate(text: string): string {
  if (text.endsWith('/') || !/^(\d{2}\/)?(\d{2}\/)?\d*$/.test(text)) return text;
  const d = text.replace(/\D/g, '').slice(0, 8);
  return [d.slice(0, 2), d.slice(2, 4), d.slice(4)].filter((part) => part !== '').join('/');
}

/** The ISO date of what a date field holds (5/12/2026, 05-12-2026, 05.12.2026, 05122026), or undefined when it is no date of the calendar. */
export function parseShownDate(text: string): string | undefined {
  const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text.trim()) ?? /^(\d{2})(\d{2})(\d{4})$/.exec(text.trim());
  if (!m) return undefined;
  const iso = `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso ? iso : undefined;
}

/** The date fields that are empty or hold no date of the calendar, before anything is sent. */
export function dateProblems(values: FormValues): Map<FieldName, 'required' | 'invalid'> {
  const problems = new Map<FieldName, 'required' | 'invalid'>();
  for (const field of dateFields) {
    if (values[field].trim() === '') problems.set(field, 'required');
    else if (parseShownDate(values[field]) === undefined) problems.set(field, 'invalid');
  }
  return problems;
}

export const fieldOrder: readonly FieldName[] = [
  'receivedDate', 'letterNumber', 'letterDate', 'sender', 'addressee', 'subject', 'summary',
  'urgency', 'security', 'classificationCode', 'documentType', 'attachmentCount',
];

export function emptyForm(today: string): FormValues {
  return {
    receivedDate: shownDate(today), letterNumber: '', letterDate: '', sender: '', addressee: '', subject: '', summary: '',
    urgency: 'biasa', security: 'biasa', classificationCode: '', documentType: 'surat_biasa', attachmentCount: '0',
  };
}

/** Catat for a letter another office sent: what the sender registered, the sending office as pengirim. */
export function deliveredForm(delivery: ReceivedDelivery, today: string): FormValues {
  return {
    ...emptyForm(today), letterNumber: delivery.letterNumber, letterDate: shownDate(delivery.letterDate), sender: delivery.fromOfficeName,
    subject: delivery.subject, summary: delivery.summary, urgency: delivery.urgency, security: delivery.security, classificationCode: delivery.classification,
  };
}

export interface PendingProposal {
  value: string;
  confidence: number;
  evidence: string;
}

/** Which form field each proposal fills. */
const proposalField = {
  number: 'letterNumber', date: 'letterDate', subject: 'subject', sender: 'sender', addressee: 'addressee',
  urgency: 'urgency', security: 'security', attachmentCount: 'attachmentCount', classificationCode: 'classificationCode',
} as const satisfies Record<keyof LetterProposalsReply, FieldName>;

/**
 * Fills the fields the clerk has not touched (still as the empty form has them) with OCR's proposals;
 * a field the clerk already changed keeps its value. Returns the new values and the proposals now
 * waiting for the clerk's confirmation.
 */
export function applyProposals(values: FormValues, proposals: LetterProposalsReply): { values: FormValues; pending: Map<FieldName, PendingProposal> } {
  const next = { ...values };
  const untouched = emptyForm(values.receivedDate);
  const pending = new Map<FieldName, PendingProposal>();
  for (const [key, field] of Object.entries(proposalField) as [keyof LetterProposalsReply, FieldName][]) {
    const proposal = proposals[key];
    if (proposal === undefined || (next[field].trim() !== '' && next[field] !== untouched[field])) continue;
    const value = dateFields.has(field) ? shownDate(String(proposal.value)) : String(proposal.value);
    next[field] = value;
    pending.set(field, { value, confidence: proposal.confidence, evidence: proposal.evidence });
  }
  return { values: next, pending };
}

export function toFields(values: FormValues): IncomingLetterFields {
  const count = values.attachmentCount.trim() === '' ? 0 : Number(values.attachmentCount);
  return {
    ...values,
    receivedDate: parseShownDate(values.receivedDate) ?? values.receivedDate,
    letterDate: parseShownDate(values.letterDate) ?? values.letterDate,
    urgency: values.urgency as IncomingLetterFields['urgency'],
    security: values.security as IncomingLetterFields['security'],
    documentType: values.documentType as IncomingLetterFields['documentType'],
    attachmentCount: count,
  };
}

/** main's VALIDATION issues name fields as ['fields', name]; the first problem of each field. */
export function issuesByLetterField(error: IpcError): Map<FieldName, string> {
  const byField = new Map<FieldName, string>();
  if (error.code !== 'VALIDATION' || !Array.isArray(error.details?.['issues'])) return byField;
  for (const issue of error.details['issues'] as Array<{ path?: unknown; message?: unknown }>) {
    const path = Array.isArray(issue.path) ? issue.path : [];
    const field = path[0] === 'fields' ? path[1] : undefined;
    if (typeof field === 'string' && (fieldOrder as readonly string[]).includes(field) && typeof issue.message === 'string' && !byField.has(field as FieldName)) {
      byField.set(field as FieldName, issue.message);
    }
  }
  return byField;
}
