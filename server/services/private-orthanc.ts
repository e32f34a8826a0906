// A private Orthanc PACS for tests and the PACS bench: its own JSON config, free HTTP and DICOM ports,
// storage in a given folder, called-AE checking on (so a wrong AE title is really rejected) and REST
// behind basic auth (so Gantry's credentials path is exercised).
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BINARIES, ensureBinaries } from './system-packages.js';
import { freePort } from '../../lib/net.js';
import { launchGuarded } from './process-guard.js';

export interface PrivateOrthancOptions {
  dir: string;
  aet?: string;
  /** Calling AE title allowed to C-FIND / C-GET / C-MOVE (Orthanc refuses unknown ones for those). */
  clientAet?: string;
  httpPort?: number;
  dicomPort?: number;
  /** Load the DICOMweb plugin (Debian package orthanc-dicomweb) when it is installed. */
  dicomweb?: boolean;
  /** Serve DICOM over TLS with this certificate and key (PEM files); client certificates not required. */
  tls?: { certFile: string; keyFile: string };
}

export const DICOMWEB_PLUGIN = '/usr/share/orthanc/plugins/libOrthancDicomWeb.so';

export interface PrivateOrthanc {
  aet: string;
  host: string;
  dicomPort: number;
  httpPort: number;
  restUrl: string;
  /** DICOMweb root when the plugin was loaded. */
  dicomwebUrl: string | undefined;
  username: string;
  password: string;
  storageDir: string;
  /** Authorization header value for the REST API. */
  authHeader: string;
  stop(): Promise<void>;
  /** Starts it again on the same ports and storage. */
  restart(): Promise<void>;
  /** Uploads a DICOM file over REST and returns Orthanc's answer (ids). */
  upload(file: Buffer): Promise<{ ID: string; ParentStudy: string }>;
}

export async function startPrivateOrthanc(opts: PrivateOrthancOptions): Promise<PrivateOrthanc> {
  ensureBinaries([BINARIES.orthanc]);
  const dir = resolve(opts.dir);
  const storageDir = join(dir, 'storage');
  mkdirSync(storageDir, { recursive: true });
  const aet = opts.aet ?? 'ORTHANC';
  const clientAet = opts.clientAet ?? 'GANTRY';
  const httpPort = opts.httpPort && opts.httpPort > 0 ? opts.httpPort : await freePort();
  const dicomPort = opts.dicomPort && opts.dicomPort > 0 ? opts.dicomPort : await freePort();
  const username = 'gantry';
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  const confPath = join(dir, 'orthanc.json');
  const withDicomweb = opts.dicomweb === true && existsSync(DICOMWEB_PLUGIN);
  writeFileSync(confPath, JSON.stringify({
    Name: 'gantry-test-pacs',
    StorageDirectory: storageDir,
    IndexDirectory: storageDir,
    HttpPort: httpPort,
    DicomPort: dicomPort,
    DicomAet: aet,
    DicomCheckCalledAet: true,
    RemoteAccessAllowed: false,
    AuthenticationEnabled: true,
    RegisteredUsers: { [username]: password },
    DicomModalities: { gantry: { AET: clientAet, Host: '127.0.0.1', Port: 1, AllowFind: true, AllowGet: true, AllowMove: true, AllowEcho: true, AllowStore: true } },
    DicomScpTimeout: 30,
    DicomAssociationCloseDelay: 0,
    StableAge: 1,
    MetricsEnabled: true,
    SaveJobs: false,
    Plugins: withDicomweb ? [DICOMWEB_PLUGIN] : [],
    DicomWeb: { Enable: withDicomweb, Root: '/dicom-web/' },
    ...(opts.tls ? {
      DicomTlsEnabled: true, DicomTlsCertificate: opts.tls.certFile, DicomTlsPrivateKey: opts.tls.keyFile,
      DicomTlsTrustedCertificates: opts.tls.certFile, DicomTlsRemoteCertificateRequired: false,
    } : {}),
  }, null, 2));
  const restUrl = `http://127.0.0.1:${httpPort}`;
  const authHeader = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  let child: ChildProcess | undefined;

  // Guarded: dies with this process (see process-guard.ts). Not supervised or locked: only tests and the
  // PACS bench start it, each on a fresh temporary folder, and they stop/restart it on purpose.
  const launch = async (): Promise<void> => {
    child = await launchGuarded({
      what: `Orthanc on port ${httpPort}`, binary: BINARIES.orthanc.binary, args: [confPath], logPath: join(dir, 'orthanc.log'), timeoutMs: 30000,
      ready: async () => (await fetch(`${restUrl}/system`, { headers: { authorization: authHeader } })).ok,
    });
  };

  const stop = async (): Promise<void> => {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    await new Promise<void>((r) => { proc.once('exit', () => r()); proc.kill('SIGTERM'); });
  };

  const upload = async (file: Buffer): Promise<{ ID: string; ParentStudy: string }> => {
    const res = await fetch(`${restUrl}/instances`, { method: 'POST', body: file, headers: { authorization: authHeader, 'content-type': 'application/dicom' } });
    if (!res.ok) throw new Error(`Orthanc refused the upload: HTTP ${res.status}`);
    return await res.json() as { ID: string; ParentStudy: string };
  };

  await launch();
  return { aet, host: '127.0.0.1', dicomPort, httpPort, restUrl, dicomwebUrl: withDicomweb ? `${restUrl}/dicom-web` : undefined, username, password, storageDir, authHeader, stop, restart: launch, upload };
}
