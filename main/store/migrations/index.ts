// Every migration, in order. Append new ones here; never edit or remove one that has landed.
import type { Migration } from '../migrate.ts';
import initial from './0001_initial.ts';
import incomingRegistration from './0002_incoming_registration.ts';
import sync from './0003_sync.ts';
import signatures from './0004_signatures.ts';
import leasedBlocks from './0005_leased_blocks.ts';
import searchPrefixes from './0006_search_prefixes.ts';
import unusedNumbers from './0007_unused_numbers.ts';
import deliveredLetters from './0008_delivered_letters.ts';
import outgoingNumbers from './0009_outgoing_numbers.ts';
import signerPosition from './0010_signer_position.ts';
import organisation from './0011_organisation.ts';
import drafts from './0012_drafts.ts';
import voidedLetters from './0013_voided_letters.ts';
import agendaBookExportsLocal from './0014_agenda_book_exports_local.ts';
import parafLetters from './0015_paraf_letters.ts';
import naskahVersions from './0016_naskah_versions.ts';
import unwrittenDrafts from './0017_unwritten_drafts.ts';

export const migrations: readonly Migration[] = [initial, incomingRegistration, sync, signatures, leasedBlocks, searchPrefixes, unusedNumbers, deliveredLetters, outgoingNumbers, signerPosition, organisation, drafts, voidedLetters, agendaBookExportsLocal, parafLetters, naskahVersions, unwrittenDrafts];
