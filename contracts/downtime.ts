// Wire types of downtime analytics: scanner state history and the managers' availability, MTBF, MTTR and
// cost report. Definitions of every figure are in docs/downtime.md; the computation is server/downtime/.
import { Type, type Static } from '@sinclair/typebox';
import { Modality, Slug } from './common.js';

/** What a scanner reports in its status message (…/status), stored as field `state` of `scanner_status`. */
export const ReportedState = Type.Union(
  [Type.Literal('up'), Type.Literal('degraded'), Type.Literal('down'), Type.Literal('maintenance')],
  { description: 'state a scanner reports about itself' },
);
export type ReportedState = Static<typeof ReportedState>;

/** A state on the resolved timeline: the reported ones plus `unknown` (no data, or before the first status). */
export const TimelineState = Type.Union(
  [Type.Literal('up'), Type.Literal('degraded'), Type.Literal('down'), Type.Literal('maintenance'), Type.Literal('unknown')],
  { description: 'resolved state: maintenance = planned downtime, down = unplanned, unknown = no data' },
);
export type TimelineState = Static<typeof TimelineState>;

export const StateSource = Type.Union(
  [Type.Literal('status'), Type.Literal('maintenance-window'), Type.Literal('no-data'), Type.Literal('none')],
  { description: 'which input decided this interval' },
);
export type StateSource = Static<typeof StateSource>;

export const StateInterval = Type.Object({
  start: Type.Number({ description: 'epoch ms, inclusive' }),
  end: Type.Number({ description: 'epoch ms, exclusive' }),
  state: TimelineState,
  source: StateSource,
  reason: Type.Optional(Type.String({ maxLength: 500 })),
});
export type StateInterval = Static<typeof StateInterval>;

export const DowntimeGroupBy = Type.Union(
  [Type.Literal('scanner'), Type.Literal('site'), Type.Literal('modality'), Type.Literal('vendor'), Type.Literal('fleet')],
  { description: 'how scanners are grouped in the report' },
);
export type DowntimeGroupBy = Static<typeof DowntimeGroupBy>;

const EpochOrDate = Type.String({ description: 'epoch ms or an RFC 3339 date-time', pattern: '^(\\d{1,15}|\\d{4}-\\d{2}-\\d{2}([Tt ][0-9:.]+([Zz]|[+-]\\d{2}:\\d{2})?)?)$' });

export const DowntimeQuery = Type.Object({
  from: Type.Optional(EpochOrDate),
  to: Type.Optional(EpochOrDate),
  groupBy: Type.Optional(DowntimeGroupBy),
  site: Type.Optional(Slug),
  modality: Type.Optional(Modality),
  scannerId: Type.Optional(Slug),
  vendor: Type.Optional(Type.String({ maxLength: 64 })),
  top: Type.Optional(Type.Integer({ minimum: 0, maximum: 100, description: 'how many top offenders (default 5)' })),
}, { additionalProperties: false });
export type DowntimeQuery = Static<typeof DowntimeQuery>;

const Hours = (description: string) => Type.Number({ minimum: 0, description });
const NullableHours = (description: string) => Type.Union([Type.Number({ minimum: 0 }), Type.Null()], { description });

/** Figures for one group of scanners (or one period) over the requested range. */
export const DowntimeFigures = Type.Object({
  scanners: Type.Integer({ minimum: 0 }),
  rangeHours: Hours('length of the range × scanners'),
  upHours: Hours('up'),
  degradedHours: Hours('degraded (counted as available)'),
  unplannedDowntimeHours: Hours('down'),
  plannedDowntimeHours: Hours('maintenance'),
  unknownHours: Hours('no data'),
  availabilityPct: Type.Union([Type.Number({ minimum: 0, maximum: 100 }), Type.Null()], {
    description: '(up + degraded) / (up + degraded + down) × 100; planned maintenance and unknown time excluded; null with no known time',
  }),
  dataCoveragePct: Type.Number({ minimum: 0, maximum: 100, description: 'share of the range whose state is known' }),
  failures: Type.Integer({ minimum: 0, description: 'unplanned-down episodes that began inside the range' }),
  mtbfHours: NullableHours('operating hours (up + degraded) / failures; null without failures'),
  mttrHours: NullableHours('mean in-range duration of the failures counted; null without failures'),
  costUsd: Type.Number({ minimum: 0, description: 'unplanned downtime hours × cost per hour of the modality' }),
  plannedCostUsd: Type.Number({ minimum: 0, description: 'planned downtime hours × the same rate (shown apart, not in costUsd)' }),
});
export type DowntimeFigures = Static<typeof DowntimeFigures>;

export const DowntimeGroup = Type.Composite([
  Type.Object({
    key: Type.String({ description: 'scanner id, site, modality, vendor, or "fleet"' }),
    site: Type.Optional(Type.String()),
    modality: Type.Optional(Modality),
    vendor: Type.Optional(Type.String()),
  }),
  DowntimeFigures,
]);
export type DowntimeGroup = Static<typeof DowntimeGroup>;

export const DowntimePeriod = Type.Composite([
  Type.Object({ period: Type.String({ description: 'ISO week (2026-W47) or month (2026-11), UTC' }), start: Type.Number(), end: Type.Number() }),
  DowntimeFigures,
]);
export type DowntimePeriod = Static<typeof DowntimePeriod>;

export const DowntimeReport = Type.Object({
  from: Type.Number(),
  to: Type.Number(),
  groupBy: DowntimeGroupBy,
  currency: Type.Literal('USD'),
  costPerHourUsd: Type.Record(Type.String(), Type.Number(), { description: 'rate per modality used for cost' }),
  total: DowntimeFigures,
  groups: Type.Array(DowntimeGroup),
  weekly: Type.Array(DowntimePeriod),
  monthly: Type.Array(DowntimePeriod),
  topOffenders: Type.Array(DowntimeGroup, { description: 'scanners with the most unplanned downtime (then failures)' }),
});
export type DowntimeReport = Static<typeof DowntimeReport>;

export const TimelineQuery = Type.Object({
  scannerId: Slug,
  from: Type.Optional(EpochOrDate),
  to: Type.Optional(EpochOrDate),
}, { additionalProperties: false });
export type TimelineQuery = Static<typeof TimelineQuery>;

export const ScannerTimeline = Type.Object({
  scannerId: Slug,
  site: Type.Optional(Type.String()),
  modality: Type.Optional(Modality),
  vendor: Type.Optional(Type.String()),
  from: Type.Number(),
  to: Type.Number(),
  intervals: Type.Array(StateInterval),
});
export type ScannerTimeline = Static<typeof ScannerTimeline>;
