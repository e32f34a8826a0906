// Shared set-up of the PACS tests: a private Orthanc holding two canary studies (one of today, one a year
// old) whose patient name and ID are distinctive strings, and target configs pointing Gantry at it.
import { createServer, type Server, type Socket } from 'node:net';
import { startPrivateOrthanc, type PrivateOrthanc } from '../../server/services/private-orthanc.js';
import { dicomDate, makeCanaryStudy } from './fixtures.js';

export const PATIENT_NAME = 'Xylophant^Quodlibet';
export const PATIENT_ID = 'PID-ZQ81-WOMBAT';

export interface CanaryPacs { orthanc: PrivateOrthanc; recentUid: string; oldUid: string; recentDate: string; oldDate: string }

export async function startCanaryPacs(dir: string, instances = 3): Promise<CanaryPacs> {
  const orthanc = await startPrivateOrthanc({ dir });
  const root = `1.2.826.0.1.3680043.9.7433.${process.pid}.${Date.now() % 1e8}`;
  const recentUid = `${root}.1`;
  const oldUid = `${root}.2`;
  const recentDate = dicomDate(0);
  const oldDate = dicomDate(400);
  for (const [studyUid, studyDate] of [[recentUid, recentDate], [oldUid, oldDate]] as const) {
    for (const f of makeCanaryStudy({ dir, studyUid, studyDate, patientName: PATIENT_NAME, patientId: PATIENT_ID, instances })) await orthanc.upload(f);
  }
  return { orthanc, recentUid, oldUid, recentDate, oldDate };
}

/** A pacs.targets[] entry for the canary PACS; fast intervals for tests. */
export function canaryTarget(c: CanaryPacs, id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const o = c.orthanc;
  return {
    id, site: 'test', host: o.host, port: o.dicomPort, calledAet: o.aet, callingAet: 'GANTRY',
    // Short intervals, generous timeouts: the test machine is shared and a slow answer is not the point here.
    echo: { intervalMs: 200, timeoutMs: 5000 },
    find: { intervalMs: 300, timeoutMs: 5000, studyDate: c.recentDate },
    retrieve: { intervalMs: 500, timeoutMs: 10000 },
    canaries: [
      { name: 'recent', studyInstanceUid: c.recentUid, studyDate: c.recentDate, tier: 'hot' },
      { name: 'year-old', studyInstanceUid: c.oldUid, studyDate: c.oldDate, tier: 'archive' },
    ],
    rest: { url: o.restUrl, username: o.username, password: o.password, intervalMs: 300 },
    prometheus: { url: `${o.restUrl}/tools/metrics-prometheus`, username: o.username, password: o.password, intervalMs: 300 },
    ...extra,
  };
}

/** A server that accepts TCP connections and never says a word (a hung PACS). */
export async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const srv: Server = createServer((s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); s.on('error', () => undefined); });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const addr = srv.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return { port, close: () => new Promise<void>((r) => { for (const s of sockets) s.destroy(); srv.close(() => r()); }) };
}

/** Tees this process's stdout and stderr into `captured` (for scans of what was printed); returns the undo. */
export function captureOutput(captured: string[]): () => void {
  const original = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };
  const capture = (orig: typeof process.stdout.write) => ((chunk: string | Uint8Array, ...rest: never[]) => {
    captured.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return orig(chunk, ...rest);
  }) as typeof process.stdout.write;
  process.stdout.write = capture(original.out);
  process.stderr.write = capture(original.err);
  return () => { process.stdout.write = original.out; process.stderr.write = original.err; };
}
