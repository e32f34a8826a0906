// The spool and the dead-letter store on a real disk: order across segment rotations, resume at the cursor
// after a restart, a torn last line dropped, the size bound enforced; dead letters bounded, newest kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Spool, SpoolFullError } from '../../server/telemetry/spool.js';
import { DeadLetterStore } from '../../server/telemetry/dead-letters.js';
import { tempDir } from '../support/platform.js';

const lines = (from: number, n: number) => Array.from({ length: n }, (_, i) => `m,s=a v=${from + i} ${from + i}`);

test('spool keeps order across rotations, resumes at its cursor, drops a torn tail and enforces its bound', async () => {
  const dir = tempDir('spool');
  try {
    let spool = new Spool({ dir, maxBytes: 1 << 20, segmentBytes: 2000, fsyncIntervalMs: 1 });
    for (let i = 0; i < 200; i += 10) { spool.append(lines(i, 10)); await new Promise((r) => setTimeout(r, 2)); }
    assert.ok(readdirSync(dir).filter((f) => f.endsWith('.lp')).length >= 2, 'rotated into several segments');
    const first = spool.peek(120);
    assert.deepEqual(first.lines, lines(0, 120));
    spool.commit(first.next);
    spool.close();
    // A crash mid-append leaves half a line at the end.
    const last = readdirSync(dir).filter((f) => f.endsWith('.lp')).sort().pop() as string;
    appendFileSync(join(dir, last), 'm,s=a v=99');
    spool = new Spool({ dir, maxBytes: 1 << 20, segmentBytes: 2000 });
    const rest = spool.peek(1000);
    assert.deepEqual(rest.lines, lines(120, 80), 'resumed at the cursor, torn line gone');
    spool.commit(rest.next);
    assert.equal(spool.pendingBytes(), 0);
    spool.close();
    const small = new Spool({ dir: join(dir, 'small'), maxBytes: 1 << 20 });
    const big = 'x'.repeat(1 << 19);
    small.append([big]);
    assert.throws(() => small.append([big, big]), SpoolFullError);
    small.close();
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('dead-letter store stays within its bound and lists the newest first', async () => {
  const dir = tempDir('dead');
  try {
    const store = new DeadLetterStore({ dir, maxBytes: 65536, payloadBytes: 100, capturePayload: true });
    for (let i = 0; i < 2000; i++) store.add('schema', `t/${i}`, `detail ${i}`, Buffer.from('y'.repeat(500)), i);
    assert.deepEqual(store.list(2).map((e) => e.at), [1999, 1998], 'listed before they reach the disk');
    await store.flush();
    const size = readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
    assert.ok(size <= 65536, `on disk ${size} bytes`);
    const listed = store.list(5);
    assert.deepEqual(listed.map((e) => e.at), [1999, 1998, 1997, 1996, 1995]);
    assert.equal(listed[0]?.payload?.length, 100);
    assert.equal(listed[0]?.payloadBytes, 500);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('dead letters keep the shape of a payload, not its text; captured payloads are scrubbed', async () => {
  const dir = tempDir('dead');
  try {
    const payload = Buffer.from(JSON.stringify({ ts: 1, state: 'down', reason: 'Patient DOE^JOHN MRN 12345678', metrics: { power_kw: 'high' } }));
    const plain = new DeadLetterStore({ dir, maxBytes: 65536 });
    plain.add('schema', 'gantry/v1/a/mri/DOE^JOHN/status', 'd', payload);
    await plain.close();
    const [e] = new DeadLetterStore({ dir, maxBytes: 65536 }).list(1);
    assert.equal(e?.shape, '{"ts": number, "state": string(4), "reason": string(29), "metrics": {"power_kw": string(4)}}');
    assert.equal(e?.payload, undefined);
    assert.equal(e?.topic, 'gantry/v1/a/mri/[redacted]/status');
    const captured = new DeadLetterStore({ dir, maxBytes: 65536, capturePayload: true });
    captured.add('schema', 't', 'd', payload);
    await captured.close();
    const text = JSON.stringify(captured.list(10));
    for (const id of ['DOE', 'JOHN', '12345678']) assert.ok(!text.includes(id), `${id} kept`);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
