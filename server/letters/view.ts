// A letter as the change feed carries it (common/protocol/letters.ts LetterData): its row and its
// attachments in order. Read for the 'letter' rows of its own office and inside 'delivery' rows.
import type { Database } from '../db/schema.ts';
import type { Trx } from '../feed/writes.ts';
import type { LetterData } from '../../common/protocol/letters.ts';

export type LetterRow = Database['letters'];

export function letterView(l: LetterRow, attachments: readonly string[]): LetterData {
  return {
    id: l.id, officeId: l.office_id, direction: l.direction, year: l.year, agendaNumber: l.agenda_number, receivedAt: l.received_at,
    letterNumber: l.letter_number, letterDate: l.letter_date, sender: l.sender, addressee: l.addressee, subject: l.subject,
    summary: l.summary, urgency: l.urgency, security: l.security, classification: l.classification,
    attachments: [...attachments], createdBy: l.created_by, createdAt: l.created_at, voidedAt: l.voided_at, voidReason: l.void_reason,
  };
}

export async function readLetterView(trx: Trx, letterId: string): Promise<LetterData | undefined> {
  const l = await trx.selectFrom('letters').selectAll().where('id', '=', letterId).executeTakeFirst();
  if (!l) return undefined;
  const attachments = await trx.selectFrom('letter_attachments').select('sha256').where('letter_id', '=', letterId).orderBy('position').execute();
  return letterView(l, attachments.map((a) => a.sha256));
}
