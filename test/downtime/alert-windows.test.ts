// Maintenance definitions expanded into the planned windows of a report range: RRULE, cron and one-off, per
// scanner and site-wide, including an occurrence that began before the range.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { occurrencesBetween } from '../../server/alerts/suppression.js';
import { maintenanceWindows } from '../../server/downtime/alert-windows.js';
import { H, T0 } from './fixtures.js';

const DAY = 24 * H;
const weekly = { durationMs: 2 * H, createdBy: 'admin' };

test('RRULE and cron give the same weekly Monday 06:00 windows; one overlapping the start is kept', () => {
  const from = T0 + 7 * H; // Monday 07:00, inside the first occurrence
  const to = T0 + 21 * DAY;
  const rrule = occurrencesBetween({ ...weekly, rrule: 'DTSTART:20251201T060000Z\nRRULE:FREQ=WEEKLY;BYDAY=MO' }, from, to);
  const cron = occurrencesBetween({ ...weekly, cron: '0 6 * * 1' }, from, to);
  const expected = [0, 7, 14].map((d) => ({ start: T0 + d * DAY + 6 * H, end: T0 + d * DAY + 8 * H }));
  assert.deepEqual(rrule, expected);
  assert.deepEqual(cron, expected);
  assert.deepEqual(occurrencesBetween({ ...weekly, startsAt: T0 - 3 * H }, T0, to), [], 'ended before the range');
  assert.deepEqual(occurrencesBetween({ ...weekly, startsAt: T0 - H }, T0, to), [{ start: T0 - H, end: T0 + H }]);
  assert.deepEqual(occurrencesBetween({ ...weekly, startsAt: T0 + DAY }, T0, to), [{ start: T0 + DAY, end: T0 + DAY + 2 * H }]);
});

test('a site-wide window applies to each scanner of that site only; a scanner window to that scanner only', async () => {
  const source = maintenanceWindows(() => [
    { id: 'site', site: 'central', startsAt: T0 + H, durationMs: H, comment: 'power work', createdBy: 'it' },
    { id: 'one', scannerId: 'r-ct-1', startsAt: T0 + 2 * H, durationMs: H, createdBy: 'biomed' },
  ]);
  const targets = [{ scannerId: 'c-mri-1', site: 'central' }, { scannerId: 'c-ct-1', site: 'central' }, { scannerId: 'r-ct-1', site: 'riverside' }];
  const got = await source({ from: T0, to: T0 + DAY }, targets);
  assert.deepEqual(Object.fromEntries(got), {
    'c-mri-1': [{ start: T0 + H, end: T0 + 2 * H, reason: 'power work' }],
    'c-ct-1': [{ start: T0 + H, end: T0 + 2 * H, reason: 'power work' }],
    'r-ct-1': [{ start: T0 + 2 * H, end: T0 + 3 * H }],
  });
});
