// The Catat form's data, apart from React: the fields in Tab order, the empty form, what OCR
// proposed for which field, and main's refusals mapped back onto the fields they concern.
import type { ReceivedDelivery } from '../../../../../common/ipc/delivery.ts';
import type { IncomingLetterFields, LetterProposalsReply } from '../../../../../common/ipc/incoming.ts';
import type { IpcError } from '../../../../../common/ipc/index.ts';

export type FieldName = keyof IncomingLetterFields;
/** What the inputs hold: text, as typed (the attachment count too, until it is sent). */
export type FormValues = Record<FieldName, string>;

export const fieldOrder: readonly FieldName[] = [
  'receivedDate', 'letterNumber', 'letterDate', 'sender', 'addressee', 'subject', 'summary',
  'urgency', 'security', 'classificationCode', 'documentType', 'attachmentCount',
];

export function emptyForm(today: string): FormValues {
  return {
    receivedDate: today, letterNumber: '', letterDate: '', sender: '', addressee: '', subject: '', summary: '',
    urgency: 'biasa', security: 'biasa', classificationCode: '', documentType: 'surat_biasa', attachmentCount: '0',
  };
}

/** Catat for a letter another office sent: what the sender registered, the sending office as pengirim. */
export function deliveredForm(delivery: ReceivedDelivery, today: string): FormValues {
  return {
    ...emptyForm(today), letterNumber: delivery.letterNumber, letterDate: delivery.letterDate, sender: delivery.fromOfficeName,
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
    const value = String(proposal.value);
    next[field] = value;
    pending.set(field, { value, confidence: proposal.confidence, evidence: proposal.evidence });
  }
  return { values: next, pending };
}

export function toFields(values: FormValues): IncomingLetterFields {
  const count = values.attachmentCount.trim() === '' ? 0 : Number(values.attachmentCount);
  return {
    ...values,
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
