// The office's own record as every desk of it keeps it: its time zone (WIB, WITA or WIT), in which
// every desk shows and prints dates and times and the server words its own times. The admin kantor
// sets it in Pengaturan; the server keeps it on the office and sends it down the change feed.
// Imports zod and common/ only.
import { z } from 'zod';
import { OfficeTimeZoneSchema } from '../ipc/app.ts';
import { mutation, outboxEntry } from './primitives.ts';

export const OfficeTimeZoneSet = z.object({ timeZone: OfficeTimeZoneSchema }).strict();
export type OfficeTimeZoneSet = z.infer<typeof OfficeTimeZoneSet>;

export const officeMutations = [mutation('office.time_zone', OfficeTimeZoneSet)] as const;

/** The admin kantor's desk keeps the change until the server has it (entity id: the office's id). */
export const officeOutbox = [outboxEntry('office', 'time_zone', OfficeTimeZoneSet)] as const;

/** 'office': the office's record (entity id: the office's id). */
export const OfficeRecordData = z.object({ timeZone: OfficeTimeZoneSchema, updatedAt: z.string(), updatedBy: z.string() });
export type OfficeRecordData = z.infer<typeof OfficeRecordData>;

export const officeFeed = { office: OfficeRecordData } as const;
