// Row types of the server database, shared by SQLite and PostgreSQL. Times are ISO-8601 text and
// flags are 0/1 integers so both engines store and return exactly the same values.
import type { ColumnType, Generated } from 'kysely';
import type { roles } from '../../common/protocol/auth.ts';
import type { Security, Urgency } from '../../common/letters.ts';
import type { HoldingCapacity, PositionLevel } from '../../common/protocol/org.ts';
import type { DeskChainFault } from '../../common/protocol/audit.ts';
import type { DelegationKind } from '../../common/protocol/delegation.ts';

export type Role = (typeof roles)[number];

export interface Database {
  server_settings: { key: string; value: string };
  regions: { id: string; name: string };
  offices: {
    id: string; region_id: string; code: string; name: string;
    /** The office's time zone (Asia/Jakarta, Asia/Makassar, Asia/Jayapura), set by its admin kantor; null: WIB. */
    time_zone: ColumnType<string | null, string | null | undefined, string | null>;
  };
  units: { id: string; office_id: string; parent_unit_id: string | null; name: string };
  /** office_id is set for every position since migration 0005 (null only in the type, as the column was added). */
  positions: {
    id: string;
    unit_id: string;
    office_id: string | null;
    parent_position_id: string | null;
    title: string;
    is_head: number;
    level: PositionLevel;
    sort_order: number;
    active: number;
  };
  /** Who holds a position from when to when (ends_at null: still), in what capacity. */
  position_holdings: { id: string; position_id: string; user_id: string; capacity: HoldingCapacity; starts_at: string; ends_at: string | null };
  /** A position given to a delegate (Plh/Plt) for a period; the hold itself is its position_holdings row (holding_id). */
  delegations: {
    id: string;
    office_id: string;
    position_id: string;
    delegate_user_id: string;
    holding_id: string;
    kind: DelegationKind;
    starts_at: string;
    ends_at: string;
    ended_early_at: string | null;
    ended_early_by: string | null;
    end_reason: string | null;
    approver_name: string;
    approver_position: string;
    approved_on: string;
    approval_reference: string;
    reason: string;
    created_by: string;
    created_at: string;
  };
  /** The document types an office marks strategic: no Plh/Plt signs them. */
  strategic_document_types: { office_id: string; document_type: string };
  /** Routes a disposition may take besides down the reporting line (e.g. Sekretaris → every Kepala Bidang). */
  disposition_routes: { office_id: string; from_position_id: string; to_position_id: string };
  /** Saved versions of an office's kop and templates (none: the shipped defaults); never changed. */
  naskah_versions: { id: string; office_id: string; version: number; letterhead: string; templates: string; created_by: string; created_at: string };
  /** An office's own list of disposition instructions (none: the shipped list). */
  office_disposition_instructions: { office_id: string; sort_order: number; text: string };
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
    /** Set when the letter is voided (batal); the row and its agenda number stay. */
    voided_at: string | null;
    void_reason: string | null;
  };
  letter_attachments: { letter_id: string; sha256: string; position: number };
  dispositions: {
    id: string;
    office_id: string;
    letter_id: string;
    parent_id: string | null;
    from_position_id: string;
    from_user_id: string;
    /** JSON array of the instructions chosen from the office's list. */
    instructions: string;
    note: string;
    urgency: Urgency;
    due_date: string | null;
    created_at: string;
    cancelled_at: string | null;
    cancelled_by: string | null;
  };
  disposition_recipients: {
    disposition_id: string;
    position_id: string;
    kind: 'to' | 'cc';
    read_at: string | null;
    read_by: string | null;
    done_at: string | null;
    done_by: string | null;
    report_note: string | null;
    report_sha256: string | null;
    report_name: string | null;
  };
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
  /** A letter signed at a desk of its office, as the signature's stamp names the signer (the public verification page shows it). */
  letter_signatures: {
    id: string;
    letter_id: string;
    office_id: string;
    signer_name: string;
    signer_position: string;
    signed_at: string;
    /** The office's time zone the stamp shows the time in; null from desks that stamped in WIB without saying so. */
    time_zone: string | null;
    recorded_by: string;
    recorded_at: string;
  };
  /** An outgoing letter drafted at a desk of its office, as its author last saved it (the highest version). */
  drafts: {
    id: string;
    office_id: string;
    author_id: string;
    type: string;
    subject: string;
    content: string;
    attachments: string;
    status: 'draft' | 'submitted';
    letter_id: string | null;
    version: number;
    saved_at: string;
    received_at: string;
  };
  /** Every version a draft had: its author's saves and its verifiers' edits. */
  draft_versions: { draft_id: string; version: number; content: string; attachments: string; saved_by: string; saved_at: string };
  /** The paraf chain a draft was sent to: verifier positions in order (JSON), its signer, whose turn it is. */
  draft_chains: {
    draft_id: string;
    office_id: string;
    signer_id: string;
    classification_code: string | null;
    verifiers: string;
    step: number;
    state: 'in_review' | 'returned' | 'approved' | 'signed';
    round: number;
    returned_by_position: string | null;
    letter_id: string | null;
    updated_at: string;
  };
  /** A draft's trail: submitted, approved (paraf), returned with notes, signed; in order (seq). */
  paraf_steps: {
    id: string;
    draft_id: string;
    seq: number;
    round: number;
    action: 'submit' | 'approve' | 'return' | 'sign';
    position_id: string | null;
    user_id: string;
    version: number;
    note: string;
    at: string;
    recorded_at: string;
  };
  /** Where an office's chains restart after a return; an office without a row uses the default (from the start). */
  paraf_policies: { office_id: string; restart: 'from_start' | 'from_returner'; set_by: string; set_at: string };
  /** The SHA-256 of a signed letter's file and of each later revision of it: what a visitor's file is compared with. */
  signed_files: { letter_id: string; sha256: string; signature_id: string; level: 'B-B' | 'B-T' | 'B-LT'; recorded_at: string };
  /** Requests of one key (a visitor's address on the public page) in one minute since the epoch. */
  request_throttle: { key: string; minute: number; hits: number };
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
  desk_audit_chains: {
    device_id: string;
    office_id: string | null;
    last_seq: number;
    last_hash: string;
    last_at: string;
    break_kind: DeskChainFault | null;
    break_seq: number | null;
    break_held_seq: number | null;
    break_detected_at: string | null;
  };
}
