// Row types of the server database, shared by SQLite and PostgreSQL. Times are ISO-8601 text and
// flags are 0/1 integers so both engines store and return exactly the same values.
import type { Generated } from 'kysely';
import type { roles } from '../../common/protocol/auth.ts';
import type { Security, Urgency } from '../../common/letters.ts';

export type Role = (typeof roles)[number];

export interface Database {
  server_settings: { key: string; value: string };
  regions: { id: string; name: string };
  offices: { id: string; region_id: string; code: string; name: string };
  units: { id: string; office_id: string; parent_unit_id: string | null; name: string };
  positions: { id: string; unit_id: string; title: string; is_head: number };
  users: {
    id: string;
    office_id: string | null;
    position_id: string | null;
    username: string;
    full_name: string;
    nip: string | null;
    role: Role;
    password_hash: string;
    password_changed_at: string;
    active: number;
    created_at: string;
  };
  login_throttle: { username: string; source: string; failures: number; last_failure_at: string; locked_until: string | null };
  devices: { id: string; office_id: string | null; name: string; registered_at: string; last_seen_at: string };
  refresh_tokens: {
    id: string;
    family_id: string;
    user_id: string;
    device_id: string;
    token_hash: string;
    issued_at: string;
    expires_at: string;
    used_at: string | null;
    revoked_at: string | null;
  };
  applied_mutations: { office_id: string; id: string; kind: string; user_id: string; device_id: string; applied_at: string };
  letters: {
    id: string;
    office_id: string;
    direction: 'in' | 'out';
    year: number;
    agenda_number: number;
    received_at: string | null;
    letter_number: string;
    letter_date: string;
    sender: string;
    addressee: string;
    subject: string;
    summary: string;
    urgency: Urgency;
    security: Security;
    classification: string;
    created_by: string;
    created_at: string;
    updated_at: string;
  };
  letter_attachments: { letter_id: string; sha256: string; position: number };
  dispositions: {
    id: string;
    letter_id: string;
    office_id: string;
    from_user_id: string;
    instruction: string;
    due_date: string | null;
    created_at: string;
  };
  disposition_recipients: { disposition_id: string; user_id: string };
  deliveries: { letter_id: string; to_office_id: string; delivered_by: string; delivered_at: string; registered_letter_id: string | null; registered_at: string | null };
  /** Addressees outside the system, to be sent the letter by email or on paper (sent_* null until done). */
  external_deliveries: {
    id: string;
    letter_id: string;
    office_id: string;
    position: number;
    name: string;
    channel: 'email' | 'print';
    email: string | null;
    marked_by: string;
    marked_at: string;
    sent_at: string | null;
    sent_by: string | null;
  };
  changes: {
    seq: Generated<number>;
    office_id: string;
    user_id: string | null;
    entity: string;
    entity_id: string;
    op: string;
    data: string;
    created_at: string;
  };
  number_counters: { office_id: string; book: string; year: number; next_number: number };
  number_leases: {
    id: string;
    office_id: string;
    book: string;
    year: number;
    device_id: string;
    user_id: string;
    first_number: number;
    last_number: number;
    leased_at: string;
  };
  unused_numbers: { office_id: string; book: string; year: number; number: number; lease_id: string; reported_at: string };
  blobs: {
    sha256: string;
    size: number;
    office_id: string | null;
    uploaded_by: string;
    complete: number;
    created_at: string;
    completed_at: string | null;
  };
  blob_holders: {
    sha256: string;
    office_id: string;
    size: number;
    uploaded_by: string;
    complete: number;
    created_at: string;
    completed_at: string | null;
  };
  audit_log: {
    seq: Generated<number>;
    at: string;
    source: 'server' | 'desk';
    office_id: string | null;
    user_id: string | null;
    device_id: string | null;
    action: string;
    target: string | null;
    details: string;
    prev_hash: string;
    hash: string;
  };
}
