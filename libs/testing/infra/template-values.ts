/**
 * Reads values of a parsed template (JSON of unknown shape) by path, without `any`: `at` follows
 * keys as `?.` does; the others also check what they find there, and name the path when it is not.
 */
export type Key = string | number;

export function at(value: unknown, ...path: Key[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<Key, unknown>)[key];
  }
  return current;
}

export function text(value: unknown, ...path: Key[]): string {
  const found = at(value, ...path);
  if (typeof found !== 'string') throw notA('string', path, found);
  return found;
}

export function num(value: unknown, ...path: Key[]): number {
  const found = at(value, ...path);
  if (typeof found !== 'number') throw notA('number', path, found);
  return found;
}

export function list(value: unknown, ...path: Key[]): unknown[] {
  const found = at(value, ...path);
  if (!Array.isArray(found)) throw notA('list', path, found);
  return found as unknown[];
}

export function record(value: unknown, ...path: Key[]): Record<string, unknown> {
  const found = at(value, ...path);
  if (found === null || typeof found !== 'object' || Array.isArray(found)) throw notA('mapping', path, found);
  return found as Record<string, unknown>;
}

const notA = (what: string, path: Key[], found: unknown): Error =>
  new Error(`expected a ${what} at ${path.join('.') || 'the top'}, found ${JSON.stringify(found)}`);
