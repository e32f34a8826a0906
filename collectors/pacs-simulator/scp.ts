// The simulated PACS's DICOM side: a dcmjs-dimse SCP on a loopback listener, answering C-ECHO, study-level
// C-FIND and C-GET (C-STORE sub-operations on the same association) from the synthetic archive, and
// misbehaving as the fault schedule says — for real, on the wire, so Gantry's probes classify what they see.
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import dimse, { type association } from 'dcmjs-dimse';
import type { PacsSimFaultKind } from '../../contracts/pacs-simulator.js';
import { seededRandom } from '../../lib/random.js';
import { retrievalDelayS, SIM_PATIENT_ID, SIM_PATIENT_NAME, type SyntheticArchive } from './archive.js';
import { SLOW_RECALL_MIN_S } from './faults.js';

const { Scp, Dataset, requests, responses, constants } = dimse;
const { Status, PresentationContextResult, RejectResult, RejectSource, RejectReason, TransferSyntax, AbortSource, AbortReason } = constants;
type Req<K extends keyof typeof requests> = InstanceType<(typeof requests)[K]>;
type Res<K extends keyof typeof responses> = InstanceType<(typeof responses)[K]>;

const SECONDARY_CAPTURE = '1.2.840.10008.5.1.4.1.1.7';
const PIXELS = 128 * 128;

export interface ScpBehaviour {
  aet: string;
  /** Calling AE titles the PACS knows (an unknown one is refused, as a real PACS does). */
  knownCallingAets: readonly string[];
  archive: SyntheticArchive;
  timeScale: number;
  faultAt(t: number): PacsSimFaultKind | undefined;
  seed: number;
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A secondary-capture instance with blank pixels and the token patient module: nothing identifies anyone. */
function instance(studyUid: string, studyDate: string, n: number): InstanceType<typeof Dataset> {
  return new Dataset({
    SOPClassUID: SECONDARY_CAPTURE, SOPInstanceUID: `${studyUid}.1.${n}`, StudyInstanceUID: studyUid, SeriesInstanceUID: `${studyUid}.1`,
    StudyDate: studyDate, Modality: 'OT', PatientName: SIM_PATIENT_NAME, PatientID: SIM_PATIENT_ID, SeriesNumber: '1', InstanceNumber: String(n),
    SamplesPerPixel: 1, PhotometricInterpretation: 'MONOCHROME2', Rows: 128, Columns: 128, BitsAllocated: 8, BitsStored: 8, HighBit: 7, PixelRepresentation: 0,
    PixelData: [new Uint8Array(PIXELS).buffer], _vrMap: { PixelData: 'OB' },
  }, TransferSyntax.ExplicitVRLittleEndian);
}

function scpClass(b: ScpBehaviour) {
  let counter = 0;
  return class SimulatedScp extends Scp {
    private fault: PacsSimFaultKind | undefined;
    private readonly rand = seededRandom(b.seed * 104_729 + (counter += 1));

    override associationRequested(a: association.Association): void {
      this.fault = b.faultAt(Date.now());
      if (a.getCalledAeTitle() !== b.aet) {
        this.sendAssociationReject(RejectResult.Permanent, RejectSource.ServiceUser, RejectReason.CalledAeNotRecognized);
        return;
      }
      // The fault: the PACS's AE table lost Gantry's entry (a configuration push gone wrong).
      if (!b.knownCallingAets.includes(a.getCallingAeTitle()) || this.fault === 'unknown_calling_ae') {
        this.sendAssociationReject(RejectResult.Permanent, RejectSource.ServiceUser, RejectReason.CallingAeNotRecognized);
        return;
      }
      for (const c of a.getPresentationContexts()) {
        const ctx = a.getPresentationContext(c.id);
        const ts = ctx.getTransferSyntaxUids().find((t) => t === TransferSyntax.ExplicitVRLittleEndian || t === TransferSyntax.ImplicitVRLittleEndian);
        if (ts) ctx.setResult(PresentationContextResult.Accept, ts);
        else ctx.setResult(PresentationContextResult.RejectTransferSyntaxesNotSupported);
      }
      this.sendAssociationAccept();
    }

    /** True when the fault answers instead of the service: an abort, or silence until the caller gives up. */
    private misbehaves(): boolean {
      if (this.fault === 'abort') { this.sendAbort(AbortSource.ServiceProvider, AbortReason.NotSpecified); return true; }
      return this.fault === 'timeout';
    }

    override cEchoRequest(request: Req<'CEchoRequest'>, callback: (r: Res<'CEchoResponse'>) => void): void {
      if (this.misbehaves()) return;
      const response = responses.CEchoResponse.fromRequest(request);
      response.setStatus(Status.Success);
      callback(response);
    }

    override cFindRequest(request: Req<'CFindRequest'>, callback: (r: Res<'CFindResponse'>[]) => void): void {
      if (this.misbehaves()) return;
      const keys = request.getDataset()?.getElements() ?? {};
      const studyDate = typeof keys.StudyDate === 'string' ? keys.StudyDate : '';
      const answers = b.archive.find(studyDate).map((uid) => {
        const r = responses.CFindResponse.fromRequest(request);
        // The keys asked for go back; the patient ones carry the tokens, as a real PACS returns real names.
        const out: Record<string, unknown> = { QueryRetrieveLevel: 'STUDY', StudyInstanceUID: uid, StudyDate: studyDate };
        const patient: Record<string, string> = { PatientName: SIM_PATIENT_NAME, PatientID: SIM_PATIENT_ID };
        for (const k of Object.keys(keys)) if (!(k in out) && !k.startsWith('_')) out[k] = patient[k] ?? '';
        r.setDataset(new Dataset(out));
        r.setStatus(Status.Pending);
        return r;
      });
      const done = responses.CFindResponse.fromRequest(request);
      done.setStatus(Status.Success);
      setTimeout(() => callback([...answers, done]), 60 * b.timeScale * Math.exp(0.3 * (this.rand() - 0.5)));
    }

    override cGetRequest(request: Req<'CGetRequest'>, callback: (r: Res<'CGetResponse'>[]) => void): void {
      if (this.misbehaves()) return;
      void this.deliver(request).then((r) => callback([r]), () => undefined);
    }

    private async deliver(request: Req<'CGetRequest'>): Promise<Res<'CGetResponse'>> {
      const uid = request.getDataset()?.getElement('StudyInstanceUID');
      const study = typeof uid === 'string' ? b.archive.study(uid, Date.now()) : undefined;
      const final = responses.CGetResponse.fromRequest(request);
      if (!study) { final.setStatus(Status.Success); final.setCompleted(0); return final; }
      const slow = this.fault === 'slow_recall' && study.tier.name === 'archive';
      const delayS = slow ? SLOW_RECALL_MIN_S + 2.5 * this.rand() : retrievalDelayS(study, this.rand);
      await wait(delayS * 1000 * b.timeScale);
      for (let n = 1; n <= study.instances; n += 1) {
        const store = new requests.CStoreRequest(instance(study.uid, study.studyDate, n));
        await new Promise<void>((resolve) => { store.on('response', () => resolve()); this.sendRequests(store); });
      }
      final.setStatus(Status.Success);
      final.setCompleted(study.instances);
      return final;
    }

    override cStoreRequest(request: Req<'CStoreRequest'>, callback: (r: Res<'CStoreResponse'>) => void): void {
      const r = responses.CStoreResponse.fromRequest(request);
      r.setStatus(Status.Success);
      callback(r);
    }

    override associationReleaseRequested(): void {
      this.sendAssociationReleaseResponse();
    }
  };
}

/** The listener, on loopback only; `close()` and `listen()` again make an outage. */
export class ScpListener {
  private server: NetServer | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly Cls: ReturnType<typeof scpClass>;

  constructor(b: ScpBehaviour, private readonly host = '127.0.0.1') {
    this.Cls = scpClass(b);
  }

  get listening(): boolean { return this.server?.listening ?? false; }

  async listen(port: number): Promise<number> {
    const server = createServer((socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => undefined);
      const scp = new this.Cls(socket, { associationTimeout: 30_000, pduTimeout: 30_000 });
      scp.on('networkError', () => socket.destroy());
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(port, this.host, () => resolve()); });
    const addr = server.address();
    return typeof addr === 'object' && addr ? addr.port : port;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    if (server?.listening) await new Promise<void>((r) => server.close(() => r()));
  }
}
