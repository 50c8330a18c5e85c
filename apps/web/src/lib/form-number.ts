/**
 * Reading a number a form asks for, with errors in the form's own terms: the
 * field's label and its unit ("Claim timeout (s): at least 1 s"), never the
 * API's (milliseconds) and never a NaN that would travel as JSON null
 * ("expected number, received null"). Pure; unit-tested in apps/web/test.
 */

/** A submit the form cannot send: which field and why. */
export class FormError extends Error {}

export interface NumberRule {
  /** Inclusive bounds, in the form's unit. */
  min?: number;
  max?: number;
  /** Whole numbers only (attempts, a count). */
  integer?: boolean;
  /** What one unit of the form is in the API's unit (1000 for seconds → milliseconds). */
  scale?: number;
}

/** The unit a label names in its trailing parentheses: "Claim timeout (s)" → "s". */
function unitOf(label: string): string {
  return /\(([^)]+)\)\s*$/.exec(label)?.[1] ?? "";
}

export function readNumber(label: string, text: string, rule: NumberRule = {}): number {
  const trimmed = text.trim();
  const n = Number(trimmed);
  const unit = unitOf(label);
  const said = (v: number) => `${v.toLocaleString("en-US")}${unit ? ` ${unit}` : ""}`;
  if (trimmed === "" || !Number.isFinite(n)) throw new FormError(`${label}: enter a number${unit ? ` of ${unit}` : ""}, not "${trimmed}"`);
  if (rule.integer && !Number.isInteger(n)) throw new FormError(`${label}: enter a whole number`);
  if (rule.min !== undefined && n < rule.min) throw new FormError(`${label}: at least ${said(rule.min)}`);
  if (rule.max !== undefined && n > rule.max) throw new FormError(`${label}: at most ${said(rule.max)}`);
  return rule.scale === undefined ? n : Math.round(n * rule.scale);
}
