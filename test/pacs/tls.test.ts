// DICOM TLS against Orthanc with a certificate made by openssl: the probe succeeds when Gantry trusts the
// PACS's certificate and fails as tls_handshake when it does not.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cEcho } from '../../collectors/pacs/dimse.js';
import { startPrivateOrthanc, type PrivateOrthanc } from '../../server/services/private-orthanc.js';
import { tempDir } from '../support/platform.js';

describe('C-ECHO over DICOM TLS', { skip: existsSync('/usr/bin/openssl') ? false : 'needs openssl to make a certificate' }, () => {
  let o: PrivateOrthanc;
  const dir = tempDir('orthanc-tls');
  const cert = join(dir, 'pacs.crt');
  before(async () => {
    execFileSync('/usr/bin/openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'pacs.key'), '-out', cert, '-days', '2',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    o = await startPrivateOrthanc({ dir, tls: { certFile: cert, keyFile: join(dir, 'pacs.key') } });
  });
  after(async () => { await o?.stop(); rmSync(dir, { recursive: true, force: true }); });
  const ep = () => ({ host: '127.0.0.1', port: o.dicomPort, callingAet: 'GANTRY', calledAet: o.aet });

  test('trusted certificate: the echo succeeds', async () => {
    const r = await cEcho({ ...ep(), tls: { ca: readFileSync(cert), rejectUnauthorized: true } }, 5000);
    assert.equal(r.ok, true, JSON.stringify(r));
  });

  test('untrusted certificate: tls_handshake', async () => {
    const r = await cEcho({ ...ep(), tls: { rejectUnauthorized: true } }, 5000);
    assert.deepEqual([r.ok, r.cause, r.code], [false, 'tls_handshake', 'self_signed']);
  });
});
