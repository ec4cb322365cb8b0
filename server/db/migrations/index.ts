// The one migration set, for SQLite and PostgreSQL alike, in the order it is applied.
import type { Migration } from 'kysely/migration';
import * as initial from './0001_initial.ts';
import * as auditLog from './0002_audit_log.ts';
import * as deliveryRegistrations from './0003_delivery_registrations.ts';
import * as externalDeliveries from './0004_external_deliveries.ts';
import * as letterSignatures from './0005_letter_signatures.ts';
import * as positionsDispositions from './0006_positions_dispositions.ts';
import * as deskAuditChains from './0007_desk_audit_chains.ts';
import * as drafts from './0008_drafts.ts';
import * as voidedLetters from './0009_voided_letters.ts';
import * as blobHolders from './0010_blob_holders.ts';
import * as loginThrottleBySource from './0011_login_throttle_by_source.ts';
import * as appliedMutationsByOffice from './0012_applied_mutations_by_office.ts';
import * as parafChain from './0013_paraf_chain.ts';
import * as delegations from './0014_delegations.ts';
import * as dispositionInstructions from './0015_disposition_instructions.ts';
import * as signatureTimeZone from './0016_signature_time_zone.ts';
import * as naskahVersions from './0017_naskah_versions.ts';
import * as officeTimeZone from './0018_office_time_zone.ts';
import * as parafPolicyFeed from './0019_paraf_policy_feed.ts';
import * as dispositionReportName from './0020_disposition_report_name.ts';

export const migrations: Record<string, Migration> = {
  '0001_initial': initial,
  '0002_audit_log': auditLog,
  '0003_delivery_registrations': deliveryRegistrations,
  '0004_external_deliveries': externalDeliveries,
  '0005_letter_signatures': letterSignatures,
  '0006_positions_dispositions': positionsDispositions,
  '0007_desk_audit_chains': deskAuditChains,
  '0008_drafts': drafts,
  '0009_voided_letters': voidedLetters,
  '0010_blob_holders': blobHolders,
  '0011_login_throttle_by_source': loginThrottleBySource,
  '0012_applied_mutations_by_office': appliedMutationsByOffice,
  '0013_paraf_chain': parafChain,
  '0014_delegations': delegations,
  '0015_disposition_instructions': dispositionInstructions,
  '0016_signature_time_zone': signatureTimeZone,
  '0017_naskah_versions': naskahVersions,
  '0018_office_time_zone': officeTimeZone,
  '0019_paraf_policy_feed': parafPolicyFeed,
  '0020_disposition_report_name': dispositionReportName,
};
