/** `text` as a LIKE pattern that matches it anywhere, its wildcards taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * ORDER BY for name matches: the exact name first, then names that start
 * with it, then shorter names (closer to what was typed), then by name.
 */
export const byCloseness = (column: string, param: string) =>
  `(lower(${column}) = lower(${param})) DESC, (lower(${column}) LIKE lower(${param}) || '%') DESC, length(${column}), ${column}`;
