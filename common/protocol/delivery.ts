// The delivery capability in the sync protocol: sending a registered letter through the system to
// other offices, and to addressees outside the system by email or on paper (mutations); the
// delivered letter and the outside addressees as the change feed carries them; and what a desk's
// outbox keeps of its requests. Imports zod and common/ only.
import { z } from 'zod';
import { mutation, outboxEntry, ServerId, Text, Uuid7 } from './primitives.ts';
import { LetterData } from './letters.ts';

/** An addressee outside the system: the letter goes to them by email (to `email`) or on paper. */
export const ExternalAddressee = z.object({
  /** The desk's id of this addressee, so that it can be marked sent later. */
  id: Uuid7,
  name: Text(200).min(1),
  channel: z.enum(['email', 'print']),
  email: z.email().max(254).optional(),
}).strict().refine((a) => a.channel !== 'email' || a.email !== undefined, { message: 'alamat email wajib untuk pengiriman lewat email', path: ['email'] });
export type ExternalAddressee = z.infer<typeof ExternalAddressee>;

/**
 * Sends a registered letter through the system to other offices (OPD), and/or marks addressees
 * outside the system for email or print; one of the two lists may be empty, not both.
 */
export const LetterDeliver = z.object({
  letterId: Uuid7,
  toOfficeIds: z.array(ServerId).max(100),
  external: z.array(ExternalAddressee).max(50).optional(),
}).strict().refine((p) => p.toOfficeIds.length > 0 || (p.external?.length ?? 0) > 0, { message: 'kantor tujuan atau penerima di luar sistem wajib diisi', path: ['toOfficeIds'] });
export type LetterDeliver = z.infer<typeof LetterDeliver>;

/** One addressee outside the system has been sent the letter (by email or on paper). */
export const ExternalSent = z.object({
  letterId: Uuid7,
  externalId: Uuid7,
}).strict();

export const deliveryMutations = [
  mutation('letter.deliver', LetterDeliver),
  mutation('delivery.external_sent', ExternalSent),
] as const;

/**
 * A letter another office delivered to this one ('delivery', keyed by the letter's id), in the
 * receiving office's feed. `registration` is set once a desk of this office registered it in the
 * agenda, so every other desk of the office stops offering it.
 */
export const DeliveryData = z.object({
  letter: LetterData,
  fromOfficeId: z.string().min(1),
  deliveredAt: z.string(),
  registration: z.object({ letterId: z.string().min(1), agendaNumber: z.number().int(), year: z.number().int(), at: z.string() }).optional(),
});
export type DeliveryData = z.infer<typeof DeliveryData>;

/** An addressee outside the system of one of the office's letters ('external_delivery'), in the sending office's feed only. */
export const ExternalDeliveryData = z.object({
  id: z.string().min(1),
  letterId: z.string().min(1),
  /** Order among the letter's addressees. */
  position: z.number().int().min(0),
  name: z.string(),
  channel: z.enum(['email', 'print']),
  email: z.string().nullable(),
  markedBy: z.string(),
  markedAt: z.string(),
  /** When it was sent and by whom; null while it must still go out. */
  sentAt: z.string().nullable(),
  sentBy: z.string().nullable(),
});
export type ExternalDeliveryData = z.infer<typeof ExternalDeliveryData>;

export const deliveryFeed = { delivery: DeliveryData, external_delivery: ExternalDeliveryData } as const;

/** An addressee outside the system as the desk stores it with its request (checked for the clerk before). */
export const ExternalAddresseeRequest = z.object({
  id: z.string(),
  name: z.string(),
  channel: z.enum(['email', 'print']),
  email: z.string().optional(),
});
export type ExternalAddresseeRequest = z.infer<typeof ExternalAddresseeRequest>;

/**
 * 'delivery'/'deliver' (keyed by the letter's id): "Kirim ke kantor lain" and/or addressees outside
 * the system. Desks before addressees outside the system existed stored `toOfficeIds` alone.
 */
export const DeliveryRequested = z.object({
  toOfficeIds: z.array(z.string()),
  external: z.array(ExternalAddresseeRequest).optional(),
});
/** 'delivery'/'external_sent': one addressee outside the system marked sent. */
export const ExternalMarkedSent = z.object({ externalId: z.string() });

export const deliveryOutbox = [
  outboxEntry('delivery', 'deliver', DeliveryRequested),
  outboxEntry('delivery', 'external_sent', ExternalMarkedSent),
] as const;
