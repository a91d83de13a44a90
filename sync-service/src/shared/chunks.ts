/** Rows per statement: a chunk travels as one JSON parameter, or stays well under PostgreSQL's 65,535 bindings. */
export const CHUNK = 5000;

/** `items` in consecutive slices of at most `size` (none for no items). */
export const chunks = <T>(items: readonly T[], size = CHUNK): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
