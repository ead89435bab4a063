import type { Migration } from 'kysely';
import * as initial from './001-initial';

/**
 * Every migration, in the order they apply. Kysely's migrator orders them by name, so names start with a
 * zero-padded number; a name, once released, never changes.
 */
export const migrations: Record<string, Migration> = {
  '001-initial': initial,
};
