// Turns TypeBox validation errors into one line a device integrator can act on: which field, what was
// expected, and what came instead ("/samples/0/ts: expected number ≥ 0 or RFC 3339 date-time string, got
// string"). TypeBox reports a failed union only as "Expected union value" at the union's path, so the union's
// variants are described here instead, and a payload union (single item or batch) is resolved by its shape
// before checking, so errors point inside the variant the device meant.
import type { TSchema } from '@sinclair/typebox';
import type { ValueError } from '@sinclair/typebox/errors';

function describe(schema: TSchema): string {
  const s = schema as Record<string, unknown>;
  if (Array.isArray(s.anyOf)) return (s.anyOf as TSchema[]).map(describe).join(' or ');
  if (s.const !== undefined) return JSON.stringify(s.const);
  const type = typeof s.type === 'string' ? s.type : 'value';
  const extra = [
    typeof s.format === 'string' ? (s.format === 'date-time' ? 'RFC 3339 date-time' : s.format) : '',
    typeof s.minimum === 'number' ? `≥ ${s.minimum}` : '',
    typeof s.maxLength === 'number' ? `≤ ${s.maxLength} chars` : '',
    typeof s.pattern === 'string' ? `matching ${s.pattern}` : '',
  ].filter(Boolean).join(', ');
  return extra ? `${type} (${extra})` : type;
}

function got(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `array of ${value.length}`;
  if (typeof value === 'string') return `string of ${value.length} chars`;
  if (typeof value === 'number') return Number.isFinite(value) ? 'number' : 'non-finite number';
  return typeof value;
}

/** One line for the most specific error: the deepest path wins, since outer errors only echo inner ones. */
export function explainErrors(errors: Iterable<ValueError>): string {
  let best: ValueError | undefined;
  for (const e of errors) if (!best || e.path.length > best.path.length) best = e;
  if (!best) return '/: does not match the schema';
  const path = best.path || '/';
  if (/union/i.test(best.message)) return `${path}: expected ${describe(best.schema)}, got ${got(best.value)}`;
  if (best.value === undefined) return `${path}: required field missing (${best.message})`;
  return `${path}: ${best.message} (got ${got(best.value)})`;
}
