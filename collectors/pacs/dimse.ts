// One DICOM association per probe, with dcmjs-dimse, classified by the layer that failed. The outcome
// carries only timings, counts and status codes: datasets a PACS returns are never read beyond counting
// them (C-FIND asks for no patient attribute at all; C-GET instances are acknowledged and dropped).
import dimse from 'dcmjs-dimse';
import type { PacsFailureCause } from '../../contracts/pacs.js';

const { Client, Dataset, requests, responses, constants, log: dimseLog, association } = dimse;
const { CEchoRequest, CFindRequest, CGetRequest } = requests;
const { CStoreResponse } = responses;
const { Status, RejectReason, TransferSyntax } = constants;

// dcmjs-dimse logs every PDU to the console through loglevel; Gantry's own logger says what matters.
dimseLog.setLevel('silent');

export interface DimseEndpoint {
  host: string;
  port: number;
  callingAet: string;
  calledAet: string;
  /** PEM contents (not paths). */
  tls?: { ca?: Buffer; cert?: Buffer; key?: Buffer; rejectUnauthorized?: boolean };
}

export interface DimseOutcome {
  ok: boolean;
  durationMs: number;
  cause?: PacsFailureCause;
  /** Rejection reason, DIMSE status in hex, or a network error code: bounded, no identifiers. */
  code?: string;
  matches?: number;
  firstInstanceMs?: number;
  instances?: number;
  bytes?: number;
}

const REJECT_NAMES = new Map<number, string>(Object.entries(RejectReason).map(([k, v]) => [v, k.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase()]));

// Storage classes a C-GET may deliver: the SCU must offer them with the SCP role or the PACS cannot send.
const GET_STORAGE_CLASSES = [
  '1.2.840.10008.5.1.4.1.1.7', '1.2.840.10008.5.1.4.1.1.2', '1.2.840.10008.5.1.4.1.1.2.1', '1.2.840.10008.5.1.4.1.1.4',
  '1.2.840.10008.5.1.4.1.1.4.1', '1.2.840.10008.5.1.4.1.1.1', '1.2.840.10008.5.1.4.1.1.1.1', '1.2.840.10008.5.1.4.1.1.6.1',
  '1.2.840.10008.5.1.4.1.1.12.1', '1.2.840.10008.5.1.4.1.1.128', '1.2.840.10008.5.1.4.1.1.481.1',
];

type DimseClient = InstanceType<typeof Client>;
type DimseRequest = InstanceType<typeof requests.Request>;

interface Run {
  client: DimseClient;
  request: DimseRequest;
}

// dcmjs-dimse's Client neither forwards an A-ABORT received from the peer nor closes the socket on its own
// deadline right away; both live on its internal network object, reached here through a narrow guard.
interface NetworkInternals { on(event: 'abort', fn: () => void): void; socket?: { destroy(): void } }
function networkOf(client: DimseClient): NetworkInternals | undefined {
  const n = (client as unknown as { network?: unknown }).network;
  return typeof n === 'object' && n !== null && 'on' in n ? n as NetworkInternals : undefined;
}

function hexStatus(status: number): string {
  return `0x${status.toString(16).padStart(4, '0')}`;
}

function networkCause(message: string, connected: boolean): { cause: PacsFailureCause; code: string } {
  if (/ECONNREFUSED/.test(message)) return { cause: 'tcp_refused', code: 'econnrefused' };
  if (/Connection timeout|ETIMEDOUT/.test(message)) return connected ? { cause: 'timeout', code: 'idle' } : { cause: 'tcp_timeout', code: 'connect' };
  if (/certificate|SSL|TLS|handshake/i.test(message)) return { cause: 'tls_handshake', code: /self[- ]signed/i.test(message) ? 'self_signed' : /expired/i.test(message) ? 'expired' : 'failed' };
  if (/association timeout|PDU timeout/i.test(message)) return { cause: 'timeout', code: 'association' };
  if (/ECONNRESET|EPIPE/.test(message)) return { cause: connected ? 'association_aborted' : 'tcp_refused', code: 'econnreset' };
  const m = /\b(E[A-Z]{3,20})\b/.exec(message);
  return { cause: 'network_error', code: m ? (m[1] as string).toLowerCase() : 'other' };
}

/** Runs one request on its own association and resolves (never rejects) with a classified outcome. */
function runAssociation(ep: DimseEndpoint, timeoutMs: number, run: Run): Promise<DimseOutcome & { status?: number }> {
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  return new Promise((resolve) => {
    let settled = false;
    let connected = false;
    let accepted = false;
    let finalStatus: number | undefined;
    const finish = (o: Omit<DimseOutcome, 'durationMs'> & { status?: number }) => {
      if (settled) return;
      settled = true;
      clearTimeout(hardTimer);
      resolve({ ...o, durationMs: elapsed() });
    };
    // dcmjs-dimse closes the socket itself on its timeouts (checked once a second); this timer makes the
    // probe's own deadline exact and classifies by the phase that was reached.
    const hardTimer = setTimeout(() => {
      if (accepted) { try { run.client.abort(); } catch { /* socket already gone */ } }
      networkOf(run.client)?.socket?.destroy();
      finish({ ok: false, cause: connected ? 'timeout' : 'tcp_timeout', code: accepted ? 'dimse' : connected ? 'association' : 'connect' });
    }, timeoutMs);
    run.request.on('response', (response: InstanceType<typeof responses.Response>) => {
      const status = response.getStatus();
      if (status === Status.Pending) return;
      finalStatus = status;
    });
    run.client.on('connected', () => { connected = true; });
    run.client.on('associationAccepted', () => { accepted = true; });
    run.client.on('associationRejected', (r: { result: number; source: number; reason: number }) => {
      finish({ ok: false, cause: 'association_rejected', code: REJECT_NAMES.get(r.reason) ?? `reason_${r.reason}` });
    });
    run.client.on('networkError', (err: Error) => finish({ ok: false, ...networkCause(err.message, connected) }));
    const done = () => {
      if (finalStatus === undefined) {
        // Released without an answer: the request was skipped for want of an accepted presentation context.
        // Closed without a release: the peer aborted the association.
        finish(accepted ? { ok: false, cause: 'no_presentation_context', code: 'no_context' } : { ok: false, cause: 'association_aborted', code: 'closed' });
        return;
      }
      const okStatus = finalStatus === Status.Success;
      finish(okStatus ? { ok: true, status: finalStatus } : { ok: false, cause: 'dimse_status', code: hexStatus(finalStatus), status: finalStatus });
    };
    run.client.on('associationReleased', done);
    run.client.on('closed', () => {
      if (accepted && finalStatus === undefined) finish({ ok: false, cause: 'association_aborted', code: 'peer_closed' });
      else if (!accepted && !settled) finish({ ok: false, cause: connected ? 'association_aborted' : 'tcp_refused', code: 'closed' });
      else done();
    });
    run.client.addRequest(run.request);
    try {
      run.client.send(ep.host, ep.port, ep.callingAet, ep.calledAet, {
        connectTimeout: timeoutMs, associationTimeout: timeoutMs, pduTimeout: timeoutMs,
        ...(ep.tls ? { securityOptions: { ...ep.tls } } : {}),
      });
      networkOf(run.client)?.on('abort', () => {
        finish({ ok: false, cause: 'association_aborted', code: 'peer_abort' });
        networkOf(run.client)?.socket?.destroy();
      });
    } catch (err) {
      finish({ ok: false, cause: 'network_error', code: (err as Error).name.toLowerCase().slice(0, 40) });
    }
  });
}

export async function cEcho(ep: DimseEndpoint, timeoutMs: number): Promise<DimseOutcome> {
  const { status: _s, ...o } = await runAssociation(ep, timeoutMs, { client: new Client(), request: new CEchoRequest() });
  return o;
}

/** Study-level C-FIND on one day. Only the query keys are requested, so no patient attribute comes back. */
export async function cFindStudiesOfDay(ep: DimseEndpoint, timeoutMs: number, studyDate: string): Promise<DimseOutcome> {
  // Built by hand: CFindRequest.createStudyFindRequest adds PatientName, PatientID and other return keys.
  const request = new CFindRequest();
  request.setDataset(new Dataset({ QueryRetrieveLevel: 'STUDY', StudyDate: studyDate, StudyInstanceUID: '' }));
  let matches = 0;
  request.on('response', (r: InstanceType<typeof responses.Response>) => { if (r.getStatus() === Status.Pending && r.hasDataset()) matches += 1; });
  const { status: _s, ...o } = await runAssociation(ep, timeoutMs, { client: new Client(), request });
  return { ...o, matches };
}

/** C-GET of one study: time to the first instance, total time, instances and bytes received. */
export async function cGetStudy(ep: DimseEndpoint, timeoutMs: number, studyInstanceUid: string): Promise<DimseOutcome> {
  const client = new Client();
  for (const sop of GET_STORAGE_CLASSES) {
    for (const ts of [TransferSyntax.ExplicitVRLittleEndian, TransferSyntax.ImplicitVRLittleEndian]) {
      client.addAdditionalPresentationContext(new association.PresentationContext(0, sop, ts, undefined, false, true), true);
    }
  }
  const started = performance.now();
  let firstInstanceMs: number | undefined;
  let instances = 0;
  client.on('cStoreRequest', (req: InstanceType<typeof requests.CStoreRequest>, callback: (r: InstanceType<typeof responses.Response>) => void) => {
    firstInstanceMs ??= performance.now() - started;
    instances += 1;
    const response = CStoreResponse.fromRequest(req);
    response.setStatus(Status.Success);
    callback(response);
  });
  // Byte counts reach the client's statistics only when the socket has closed, just after the release.
  let closed = false;
  const closedOnce = new Promise<void>((r) => client.on('closed', () => { closed = true; r(); }));
  const request = CGetRequest.createStudyGetRequest(studyInstanceUid);
  const { status: _s, ...o } = await runAssociation(ep, timeoutMs, { client, request });
  if (!closed) await Promise.race([closedOnce, new Promise((r) => setTimeout(r, 1000))]);
  const bytes = client.getStatistics().getBytesReceived();
  const ok = o.ok && instances > 0;
  return { ...o, ok, ...(o.ok && instances === 0 ? { cause: 'dimse_status' as const, code: 'no_instances' } : {}), instances, bytes, ...(firstInstanceMs !== undefined ? { firstInstanceMs } : {}) };
}
