// Every capability of the desk, once: a new capability adds its factory here and nothing else in
// the composition root.
import { transferCapability } from '../documents/transfers.ts';
import { letterCapability } from '../letters/incoming/handlers.ts';
import { deliveryCapability } from '../letters/delivery/deliveries.ts';
import { dispositionCapability } from '../letters/disposition/dispositions.ts';
import { outgoingCapability } from '../letters/outgoing/outgoing.ts';
import { draftingCapability } from '../letters/drafting/drafting.ts';
import { naskahCapability } from '../letters/drafting/naskah.ts';
import { parafCapability } from '../letters/paraf/paraf.ts';
import { scanCapability } from '../scan/scanning.ts';
import { signingCapability } from '../sign/handlers.ts';
import { syncCapability } from '../sync/desk-sync.ts';
import { deskCapability } from './desk-capability.ts';
import { auditCapability } from '../audit/desk-chains.ts';
import { delegationCapability } from '../org/delegations.ts';
import { strategicTypesCapability } from '../org/strategic-types.ts';
import { structureCapability } from '../org/structure.ts';
import type { CapabilityFactory } from './desk.ts';

export const capabilities: readonly CapabilityFactory[] = [
  deskCapability,
  syncCapability,
  transferCapability,
  auditCapability,
  scanCapability,
  letterCapability,
  deliveryCapability,
  dispositionCapability,
  outgoingCapability,
  draftingCapability,
  naskahCapability,
  parafCapability,
  signingCapability,
  delegationCapability,
  strategicTypesCapability,
  structureCapability,
];
