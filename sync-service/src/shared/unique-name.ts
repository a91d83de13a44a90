import { ConflictError } from './errors.js';

/**
 * Names unique per org among one kind of record (a unique index on lower(name)): the same 409 whether the check
 * before the write finds the name taken or a concurrent write with the same name loses at the index.
 */
export function uniqueName(what: string) {
  const taken = (name: string) =>
    new ConflictError('duplicate_name', `A ${what} named "${name}" already exists.`, { name });
  return {
    taken,
    /** For `.catch` on a write that set `name`: a unique violation is the 409 naming it, never a 500. */
    lostAtIndex:
      (name: string | undefined) =>
      (err: unknown): never => {
        if ((err as { code?: string }).code === '23505' && name) throw taken(name);
        throw err;
      },
  };
}
