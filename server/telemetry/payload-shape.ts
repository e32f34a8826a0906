// The shape of a rejected payload — keys, types and sizes, never values — which is what a dead letter keeps by
// default: enough to see what a device sent wrong ({"ts": number, "metrics": {"power_kw": string(4)}}) without
// keeping whatever text it carried, which may be a patient's name. Keys are device text too, so they are scrubbed.
import { scrubPatientText } from '../../lib/patient-text.js';

const MAX_KEYS = 20;
const MAX_DEPTH = 4;

function shapeOf(v: unknown, depth: number): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return `string(${v.length})`;
  if (typeof v === 'number') return Number.isFinite(v) ? 'number' : 'non-finite';
  if (typeof v === 'boolean') return 'boolean';
  if (depth >= MAX_DEPTH) return Array.isArray(v) ? `array(${v.length})` : 'object';
  if (Array.isArray(v)) return v.length === 0 ? 'array(0)' : `array(${v.length}) of ${shapeOf(v[0], depth + 1)}`;
  const keys = Object.keys(v as object);
  const parts = keys.slice(0, MAX_KEYS).map((k) => `${JSON.stringify(scrubPatientText(k.slice(0, 64)).text)}: ${shapeOf((v as Record<string, unknown>)[k], depth + 1)}`);
  if (keys.length > MAX_KEYS) parts.push(`… ${keys.length - MAX_KEYS} more keys`);
  return `{${parts.join(', ')}}`;
}

/** A one-line description of the payload's structure, at most `maxChars` long. */
export function payloadShape(payload: Buffer, maxChars = 512): string {
  if (payload.length === 0) return 'empty';
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload.toString('utf8'));
  } catch {
    const text = payload.toString('utf8');
    return text.includes('\uFFFD') ? `binary(${payload.length} bytes)` : `text(${payload.length} bytes, not JSON)`;
  }
  const out = shapeOf(parsed, 0);
  return out.length > maxChars ? `${out.slice(0, maxChars - 1)}…` : out;
}
