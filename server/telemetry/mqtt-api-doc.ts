// Renders docs/mqtt-api.md from the contracts: topics, payload schemas, examples (checked against the
// schemas), limits with their config defaults, reject reasons and the metric catalog. `npm run docs:mqtt`
// writes it; a test fails when the committed file differs, so the doc cannot drift from the code.
import { Kind, type TSchema, type TObject } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import {
  EventPayload, EventSample, MODALITIES, REJECT_REASONS, REJECT_REASON_DOC, Slug, StatusPayload, StatusSample, TelemetryPayload, TelemetrySample, TOPIC_ROOT,
} from '../../contracts/index.js';
import { metricCatalog } from '../../contracts/metric-catalog.js';
import { ConfigSchema } from '../config/schema.js';

export function describeType(s: TSchema): string {
  if (s.anyOf) {
    const alts = s.anyOf as TSchema[];
    if (alts.every((a) => a.const !== undefined)) return alts.map((a) => `\`${JSON.stringify(a.const)}\``).join(' \\| ');
    return alts.map(describeType).join(' or ');
  }
  if (s[Kind] === 'Record') return 'object: metric name → number';
  if (s.type === 'array') return `array of ${describeType(s.items as TSchema)}`;
  if (s.type === 'string') {
    if (s.format === 'date-time') return 'RFC 3339 string';
    const bits = ['string'];
    if (s.pattern) bits.push(`matching \`${s.pattern}\``);
    if (s.maxLength !== undefined) bits.push(`≤ ${s.maxLength} chars`);
    return bits.join(', ');
  }
  if (s.type === 'number') return s.minimum !== undefined ? `number ≥ ${s.minimum}` : 'number';
  if (s.type === 'object') return 'object';
  return String(s.type ?? s[Kind]);
}

function fieldTable(schema: TObject): string {
  const required = new Set(schema.required ?? []);
  const rows = Object.entries(schema.properties).map(([name, p]) =>
    `| \`${name}\` | ${describeType(p)} | ${required.has(name) ? 'yes' : 'no'} | ${(p.description as string | undefined) ?? ''} |`);
  return ['| field | type | required | meaning |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

const now = Date.UTC(2026, 10, 23, 8);
export const EXAMPLES = {
  telemetry: [
    { ts: now, metrics: { helium_level_pct: 72.4, coldhead_temp_k: 4.1 } },
    { samples: [{ ts: '2026-11-23T08:00:00Z', metrics: { power_kw: 21.5 } }, { ts: '2026-11-23T08:00:01Z', metrics: { power_kw: 22 } }] },
  ],
  status: [
    { ts: now, state: 'degraded', reason: 'chiller water above 22 °C' },
    { statuses: [{ ts: now, state: 'maintenance', reason: 'planned cold-head service' }, { ts: now + 7200000, state: 'up' }] },
  ],
  event: [
    { ts: now, type: 'error', code: 'MR-CRYO-207', detail: 'cold head second stage above 6 K' },
    { events: [{ ts: now, type: 'exam_start', examType: 'brain' }, { ts: now + 1800000, type: 'exam_end', examType: 'brain' }] },
  ],
} as const;
export const PAYLOADS = { telemetry: TelemetryPayload, status: StatusPayload, event: EventPayload } as const;

const cfg = (group: 'ingest' | 'influx', key: string): string => {
  const s = (ConfigSchema.properties[group] as TObject).properties[key] as TSchema;
  return String(s.default);
};

function channel(name: 'telemetry' | 'status' | 'event', item: TObject, batchKey: string, intro: string): string {
  const [single, batch] = EXAMPLES[name];
  return [
    `## \`…/${name}\``, '', intro, '', `One item per message, or a batch \`{ "${batchKey}": [ item, … ] }\`. An item:`, '',
    fieldTable(item), '', '```json', JSON.stringify(single), '```', '', '```json', JSON.stringify(batch), '```', '',
  ].join('\n');
}

export function renderMqttApiDoc(): string {
  const catalog = MODALITIES.map((m) => [`### ${m}`, '', '| metric | unit | normal | warning | critical | plausible (else rejected) |', '| --- | --- | --- | --- | --- | --- |',
    ...metricCatalog.modalities[m].map((d) => {
      const lim = (l?: { low?: number; high?: number }) => [l?.low !== undefined ? `< ${l.low}` : '', l?.high !== undefined ? `> ${l.high}` : ''].filter(Boolean).join(', ');
      return `| \`${d.name}\` | ${d.unit} | ${d.normal[0]} – ${d.normal[1]} | ${lim(d.warning)} | ${lim(d.critical)} | ${d.plausible[0]} – ${d.plausible[1]} |`;
    }), ''].join('\n'));
  return [
    '# MQTT API (v1)', '',
    '<!-- Generated from contracts/ by `npm run docs:mqtt`; test/telemetry/mqtt-api-doc.test.ts fails when it is stale. -->', '',
    `Topics: \`${TOPIC_ROOT}/{site}/{modality}/{scannerId}/{channel}\` with channel \`telemetry\`, \`status\` or \`event\`.`,
    `\`site\` and \`scannerId\` are lowercase ids (${describeType(Slug)}), \`modality\` is one of ${MODALITIES.map((m) => `\`${m}\``).join(', ')}.`,
    `Gantry subscribes to \`${TOPIC_ROOT}/#\` (MQTT 5 brokers: optionally as a shared subscription). A message under the root`,
    'on any other shape (except PACS metrics, `gantry/v1/{site}/pacs/{pacsId}/metrics`) is rejected as `bad_topic`, so it',
    'becomes a dead letter instead of vanishing.', '',
    'Free text (`reason`, `detail`) must be technical. Anything in it that looks like a patient identifier (a DICOM',
    'person name `FAMILY^GIVEN`, a run of 6+ digits, a date with a 19xx/20xx year, words such as "patient", "MRN",',
    '"DOB") is replaced by `[redacted]` before it is stored.', '',
    'Publish at **QoS 1**. Gantry acknowledges (PUBACK) a message only once it is durable in its write-ahead spool, and',
    'keeps a persistent session, so nothing the broker accepted is lost when Gantry or InfluxDB restarts. A point is',
    'identified by its scanner, measurement and millisecond timestamp: a redelivered message overwrites itself, it is never',
    'stored twice.', '',
    'Timestamps (`ts`) are epoch milliseconds, epoch seconds (numbers below 1e11) or RFC 3339 strings.', '',
    channel('telemetry', TelemetrySample, 'samples', 'Timestamped metric values. Names and units come from the metric catalog (below) for the topic\'s modality.'),
    channel('status', StatusSample, 'statuses', 'The operational state of the scanner with a technical reason (stored in `scanner_status`).'),
    channel('event', EventSample, 'events', 'Vendor error codes, warnings and exam start / end (stored in `scanner_event`). Exam events carry the exam type only, never patient data.'),
    '## Limits', '',
    '| limit | setting | default |', '| --- | --- | --- |',
    `| payload size (bytes) | \`ingest.maxPayloadBytes\` | ${cfg('ingest', 'maxPayloadBytes')} |`,
    `| items per message | \`ingest.maxSamplesPerMessage\` | ${cfg('ingest', 'maxSamplesPerMessage')} |`,
    `| timestamp ahead of the server clock (s) | \`ingest.maxFutureSkewSeconds\` | ${cfg('ingest', 'maxFutureSkewSeconds')} |`,
    `| timestamp age (days) | \`influx.retentionDays\` | ${cfg('influx', 'retentionDays')} |`, '',
    '## Rejections', '',
    'A message is refused whole: it is acknowledged (so the broker does not redeliver it forever), counted in',
    '`gantry_ingest_rejects_total{reason}`, logged once per reason per minute, and kept in the bounded dead-letter store',
    '(`GET /api/dead-letters`: time, reason, topic, detail and the shape of the payload — its keys, types and sizes,',
    'never its text, unless an administrator turns on `ingest.deadLetterCapturePayload`, and even then scrubbed).', '',
    '| reason | when |', '| --- | --- |',
    ...REJECT_REASONS.map((r) => `| \`${r}\` | ${REJECT_REASON_DOC[r]} |`), '',
    '## Metric catalog', '',
    `From \`contracts/metric-catalog.json\` (version ${metricCatalog.version}), where each metric also has its meaning.`, '',
    ...catalog,
  ].join('\n');
}

/** Examples that do not match their schema (the test expects none). */
export function invalidExamples(): string[] {
  const bad: string[] = [];
  for (const [name, list] of Object.entries(EXAMPLES)) {
    for (const ex of list) if (!Value.Check(PAYLOADS[name as keyof typeof PAYLOADS], ex)) bad.push(`${name}: ${JSON.stringify(ex)}`);
  }
  return bad;
}
