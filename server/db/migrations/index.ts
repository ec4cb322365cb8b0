// The one migration set, for SQLite and PostgreSQL alike, in the order it is applied.
import type { Migration } from 'kysely/migration';
import * as initial from './0001_initial.ts';
import * as auditLog from './0002_audit_log.ts';
import * as deliveryRegistrations from './0003_delivery_registrations.ts';
import * as externalDeliveries from './0004_external_deliveries.ts';
import * as blobHolders from './0008_blob_holders.ts';
import * as loginThrottleBySource from './0009_login_throttle_by_source.ts';
import * as appliedMutationsByOffice from './0010_applied_mutations_by_office.ts';

export const migrations: Record<string, Migration> = {
  '0001_initial': initial,
  '0002_audit_log': auditLog,
  '0003_delivery_registrations': deliveryRegistrations,
  '0004_external_deliveries': externalDeliveries,
  '0008_blob_holders': blobHolders,
  '0009_login_throttle_by_source': loginThrottleBySource,
  '0010_applied_mutations_by_office': appliedMutationsByOffice,
};
