// Retrieval over WADO-RS against Orthanc's DICOMweb plugin, and its failure classification.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { wadoRetrieveStudy } from '../../collectors/pacs/wado.js';
import { DICOMWEB_PLUGIN, startPrivateOrthanc, type PrivateOrthanc } from '../../server/services/private-orthanc.js';
import { freePort } from '../../lib/net.js';
import { tempDir } from '../support/platform.js';
import { dicomDate, makeCanaryStudy } from './fixtures.js';

const skip = existsSync(DICOMWEB_PLUGIN) ? false : 'needs the Orthanc DICOMweb plugin: apt-get install -y orthanc-dicomweb';

describe('WADO-RS retrieval', { skip }, () => {
  let o: PrivateOrthanc;
  const uid = `1.2.826.0.1.3680043.9.7433.${process.pid}.91`;
  const dir = tempDir('orthanc-wado');
  before(async () => {
    o = await startPrivateOrthanc({ dir, dicomweb: true });
    for (const f of makeCanaryStudy({ dir, studyUid: uid, studyDate: dicomDate(30), patientName: 'Wado^Test', patientId: 'W1', instances: 2 })) await o.upload(f);
  });
  after(async () => { await o?.stop(); rmSync(dir, { recursive: true, force: true }); });

  test('a canary study over WADO-RS: time to first byte, total time and bytes', async () => {
    const src = { url: o.dicomwebUrl ?? '', username: o.username, password: o.password };
    const r = await wadoRetrieveStudy(src, 5000, uid);
    assert.equal(r.ok, true, JSON.stringify(r));
    assert.ok((r.bytes ?? 0) > 2 * 131072 && (r.firstInstanceMs ?? Infinity) <= r.durationMs, JSON.stringify(r));
  });

  test('failures: unknown study is http_status, wrong password is http_status 401, nothing listening is tcp_refused', async () => {
    const src = { url: o.dicomwebUrl ?? '', username: o.username, password: o.password };
    assert.deepEqual(pick(await wadoRetrieveStudy(src, 5000, '1.2.3.999')), [false, 'http_status', 'http_404']);
    assert.deepEqual(pick(await wadoRetrieveStudy({ ...src, password: 'wrong' }, 5000, uid)), [false, 'http_status', 'http_401']);
    assert.deepEqual(pick(await wadoRetrieveStudy({ url: `http://127.0.0.1:${await freePort()}/dicom-web` }, 5000, uid)), [false, 'tcp_refused', 'econnrefused']);
  });
});

function pick(r: { ok: boolean; cause?: string; code?: string }): unknown[] {
  return [r.ok, r.cause, r.code];
}
