// Gantry runs real services (influxd, mosquitto, chromium, Orthanc) from Debian packages. When one is
// missing we install it if we can (root on Debian/Ubuntu), say so, or fail with the exact command to run.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

export interface SystemBinary { binary: string; pkg: string; purpose: string }

export const BINARIES = {
  influxd: { binary: '/usr/bin/influxd', pkg: 'influxdb', purpose: 'private InfluxDB time-series database' },
  mosquitto: { binary: '/usr/sbin/mosquitto', pkg: 'mosquitto', purpose: 'Mosquitto MQTT broker (tests)' },
  mosquittoPub: { binary: '/usr/bin/mosquitto_pub', pkg: 'mosquitto-clients', purpose: 'MQTT command-line clients' },
  chromium: { binary: '/usr/bin/chromium', pkg: 'chromium', purpose: 'headless browser for end-to-end tests' },
  orthanc: { binary: '/usr/sbin/Orthanc', pkg: 'orthanc', purpose: 'Orthanc PACS (PACS collector tests)' },
  dcmtk: { binary: '/usr/bin/echoscu', pkg: 'dcmtk', purpose: 'DCMTK DICOM tools (PACS tests)' },
  redis: { binary: '/usr/bin/redis-server', pkg: 'redis-server', purpose: 'Redis (cluster tests and benchmarks)' },
} satisfies Record<string, SystemBinary>;

function isDebianLike(): boolean {
  if (!existsSync('/etc/os-release')) return false;
  return /^(ID|ID_LIKE)=.*(debian|ubuntu)/m.test(readFileSync('/etc/os-release', 'utf8'));
}

let aptUpdated = false;

/**
 * Makes sure every listed binary exists. Returns normally or throws one error naming the command that
 * would install what is missing.
 */
export function ensureBinaries(wanted: SystemBinary[], say: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): void {
  const missing = wanted.filter((b) => !existsSync(b.binary));
  if (missing.length === 0) return;
  const pkgs = [...new Set(missing.map((m) => m.pkg))];
  const command = `apt-get update && apt-get install -y ${pkgs.join(' ')}`;
  const canInstall = process.getuid?.() === 0 && isDebianLike() && spawnSync('which', ['apt-get']).status === 0;
  if (!canInstall) {
    throw new Error(`Missing system packages: ${missing.map((m) => `${m.pkg} (${m.purpose})`).join(', ')}.\nInstall them with:\n  sudo ${command}`);
  }
  say(`[gantry] installing Debian packages: ${pkgs.join(', ')} (${missing.map((m) => m.purpose).join('; ')})`);
  // eslint-disable-next-line no-restricted-properties -- apt-get needs the caller's environment (PATH, proxies), not Gantry config
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    execFileSync('apt-get', ['update', '-q'], { stdio: ['ignore', 'ignore', 'inherit'], env });
    aptUpdated = true;
  }
  execFileSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...pkgs], { stdio: ['ignore', 'ignore', 'inherit'], env });
  const still = missing.filter((b) => !existsSync(b.binary));
  if (still.length > 0) throw new Error(`apt-get install finished but ${still.map((s) => s.binary).join(', ')} is still missing`);
}
