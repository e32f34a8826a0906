// The failure layers Orthanc cannot be made to produce on demand, caused for real by an in-process DICOM
// SCP (dcmjs-dimse Server) whose behaviour depends on the calling AE title: a PACS that accepts the
// association but no presentation context, one that answers with a failure status, one that aborts. The
// same SCP records the C-FIND identifier Gantry sends, to prove no patient attribute is asked for.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import dimse, { type association } from 'dcmjs-dimse';
import { cEcho, cFindStudiesOfDay } from '../../collectors/pacs/dimse.js';
import { freePort } from '../../lib/net.js';
import { spawnGuarded } from '../../server/services/process-guard.js';
import { existsSync } from 'node:fs';
import { connect, type Socket } from 'node:net';

const { Server, Scp, constants, responses } = dimse;
const { Status, PresentationContextResult, TransferSyntax, AbortSource, AbortReason } = constants;
const findKeys: string[][] = [];

class ScriptedScp extends Scp {
  private mode = '';

  override associationRequested(a: association.Association): void {
    this.mode = a.getCallingAeTitle();
    for (const c of a.getPresentationContexts()) {
      const ctx = a.getPresentationContext(c.id);
      if (this.mode === 'NOCTX') ctx.setResult(PresentationContextResult.RejectAbstractSyntaxNotSupported);
      else ctx.setResult(PresentationContextResult.Accept, TransferSyntax.ImplicitVRLittleEndian);
    }
    this.sendAssociationAccept();
  }

  override cEchoRequest(request: InstanceType<typeof dimse.requests.CEchoRequest>, callback: (r: InstanceType<typeof responses.CEchoResponse>) => void): void {
    if (this.mode === 'ABORT') {
      this.sendAbort(AbortSource.ServiceProvider, AbortReason.NotSpecified);
      return;
    }
    const response = responses.CEchoResponse.fromRequest(request);
    response.setStatus(this.mode === 'BADSTATUS' ? Status.ProcessingFailure : Status.Success);
    callback(response);
  }

  override cFindRequest(request: InstanceType<typeof dimse.requests.CFindRequest>, callback: (r: InstanceType<typeof responses.CFindResponse>[]) => void): void {
    findKeys.push(Object.keys(request.getDataset()?.getElements() ?? {}).filter((k) => !k.startsWith('_')).sort());
    const done = responses.CFindResponse.fromRequest(request);
    done.setStatus(Status.Success);
    callback([done]);
  }

  override associationReleaseRequested(): void {
    this.sendAssociationReleaseResponse();
  }
}

let server: InstanceType<typeof Server>;
let port: number;
const ep = (callingAet: string) => ({ host: '127.0.0.1', port, callingAet, calledAet: 'SCRIPTED' });

before(async () => {
  port = await freePort();
  server = new Server(ScriptedScp);
  server.on('networkError', () => undefined);
  server.listen(port);
});
after(() => server.close());

test('accepted association without an accepted presentation context is no_presentation_context', async () => {
  const o = await cEcho(ep('NOCTX'), 3000);
  assert.equal(o.cause, 'no_presentation_context', JSON.stringify(o));
});

test('a non-success DIMSE status is dimse_status with the status in hex', async () => {
  const o = await cEcho(ep('BADSTATUS'), 3000);
  assert.deepEqual([o.ok, o.cause, o.code], [false, 'dimse_status', '0x0110']);
});

test('an A-ABORT from the PACS is association_aborted', async () => {
  const o = await cEcho(ep('ABORT'), 3000);
  assert.deepEqual([o.ok, o.cause], [false, 'association_aborted']);
});

test('a healthy echo on the same SCP succeeds (the scripted failures are not the SCP being broken)', async () => {
  const o = await cEcho(ep('GANTRY'), 3000);
  assert.equal(o.ok, true, JSON.stringify(o));
});

test('C-FIND sends only the study date and study UID keys: no patient attribute is requested', async () => {
  const o = await cFindStudiesOfDay(ep('GANTRY'), 3000, '20260101');
  assert.equal(o.ok, true, JSON.stringify(o));
  assert.deepEqual(findKeys, [['QueryRetrieveLevel', 'StudyDate', 'StudyInstanceUID']]);
});

// A listener that never accepts, with its accept queue full: the kernel drops further SYNs, so connect()
// hangs as it does toward a blackholed port. Node accepts eagerly, so the listener is a python3 one-liner.
test('a TCP connect that never completes is tcp_timeout', { skip: existsSync('/usr/bin/python3') ? false : 'needs /usr/bin/python3 for a never-accepting listener' }, async () => {
  const py = spawnGuarded('/usr/bin/python3', ['-u', '-c', "import socket,time\ns=socket.socket();s.bind(('127.0.0.1',0));s.listen(0)\nprint(s.getsockname()[1])\ntime.sleep(60)"], { stdio: ['ignore', 'pipe', 'ignore'] });
  const filler: Socket[] = [];
  try {
    const blackhole = await new Promise<number>((resolve) => py.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
    // One connection completes and fills the queue (backlog 0); everything after it waits for a SYN-ACK.
    filler.push(connect(blackhole, '127.0.0.1').on('error', () => undefined));
    await new Promise((r) => setTimeout(r, 200));
    const o = await cEcho({ host: '127.0.0.1', port: blackhole, callingAet: 'GANTRY', calledAet: 'ANY' }, 800);
    assert.deepEqual([o.ok, o.cause], [false, 'tcp_timeout'], JSON.stringify(o));
    assert.ok(o.durationMs >= 790 && o.durationMs < 2000, `took ${o.durationMs} ms`);
  } finally {
    for (const f of filler) f.destroy();
    py.kill();
  }
});
