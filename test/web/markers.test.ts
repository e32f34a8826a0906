import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Alert } from '../../contracts/alerts.js';
import type { MaintenanceWindow } from '../../contracts/alert-silences.js';
import type { StateInterval } from '../../contracts/downtime.js';
import { alertMarkers, maintenanceSpans, timelineSegments } from '../../web/src/lib/markers.js';

const iv = (start: number, end: number, state: StateInterval['state'], reason?: string): StateInterval => ({ start, end, state, source: 'status', ...(reason ? { reason } : {}) });
const win = (w: Partial<MaintenanceWindow>): MaintenanceWindow => ({ id: 'w', durationMs: 10, createdBy: 'x', ...w });
const alert = (id: string, startsAt: number): Alert => ({ id, ruleId: 'r', site: 's', modality: 'mri', scannerId: 'm1', metric: 'x', severity: 'warning', state: 'firing', value: 1, threshold: 2, message: id, startsAt });

test('timeline segments cover the range exactly; gaps are unknown, neighbours of one state merge', () => {
  const segs = timelineSegments([iv(0, 50, 'up'), iv(50, 60, 'up'), iv(70, 90, 'down', 'quench'), iv(95, 200, 'maintenance')], 20, 100);
  assert.deepEqual(segs.map((s) => [s.start, s.end, s.state]), [[20, 60, 'up'], [60, 70, 'unknown'], [70, 90, 'down'], [90, 95, 'unknown'], [95, 100, 'maintenance']]);
  assert.equal(segs.reduce((a, s) => a + s.share, 0), 1);
  assert.equal(segs[2]?.reason, 'quench');
  assert.deepEqual(timelineSegments([], 0, 10).map((s) => s.state), ['unknown']);
  assert.deepEqual(timelineSegments([iv(0, 5, 'up')], 10, 10), []);
});

test('maintenance spans: planned states of the timeline and one-off windows of this scanner or its site, clipped', () => {
  const spans = maintenanceSpans(
    [iv(0, 30, 'maintenance', 'coil service'), iv(30, 60, 'up')],
    [win({ scannerId: 'm1', startsAt: 40, durationMs: 100, comment: 'refill' }), win({ site: 's', startsAt: 50, durationMs: 5 }),
      win({ scannerId: 'other', startsAt: 40 }), win({ site: 'elsewhere', startsAt: 40 }), win({ scannerId: 'm1', cron: '0 6 * * 1', durationMs: 5 })],
    { scannerId: 'm1', site: 's' }, 10, 100,
  );
  assert.deepEqual(spans.map((s) => [s.start, s.end]), [[10, 30], [40, 100], [50, 55]]);
  assert.match(spans[0]?.label ?? '', /coil service/);
  assert.match(spans[1]?.label ?? '', /refill/);
});

test('alert markers are the alerts that started inside the range, oldest first', () => {
  assert.deepEqual(alertMarkers([alert('b', 50), alert('a', 20), alert('old', 5), alert('future', 500)], 10, 100).map((m) => m.id), ['a', 'b']);
});
