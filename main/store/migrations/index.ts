// Every migration, in order. Append new ones here; never edit or remove one that has landed.
import type { Migration } from '../migrate.ts';
import initial from './0001_initial.ts';

export const migrations: readonly Migration[] = [initial];
