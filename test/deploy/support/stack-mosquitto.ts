// Starts Debian's Mosquitto with the compose stack's own files: docker/mosquitto/mosquitto.conf and acl,
// and the password file built by docker/mosquitto/init-passwd.sh. Only the lines naming container paths or
// the listener change (in a temp copy); the caller can check that with `changedLines`.
import { execFileSync, type ChildProcess } from 'node:child_process';
import { spawnGuarded } from '../../../server/services/process-guard.js';
import { chmodSync, chownSync, copyFileSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { connect as tcpConnect } from 'node:net';
import { BINARIES, ensureBinaries } from '../../../server/services/system-packages.js';
import { freePort, waitFor } from '../../../lib/net.js';

export const DOCKER_MOSQUITTO = resolve('docker/mosquitto');
export const STACK_ACL = join(DOCKER_MOSQUITTO, 'acl');
const REWRITTEN = new Set(['listener', 'persistence_location', 'password_file', 'acl_file']);

export interface Account { username: string; password: string }
export interface StackBroker { url: string; port: number; dir: string; passwdFile: string; original: string; rewritten: string; stop(): Promise<void> }

function rewrite(src: string, p: { port: number; data: string; passwd: string; acl: string }): string {
  return src.split('\n').map((line) => {
    switch (line.trim().split(/\s+/)[0]) {
      case 'listener': return `listener ${p.port} 127.0.0.1`;
      case 'persistence_location': return `persistence_location ${p.data}/`;
      case 'password_file': return `password_file ${p.passwd}`;
      case 'acl_file': return `acl_file ${p.acl}`;
      default: return line;
    }
  }).join('\n');
}

/** Lines that differ between the original and the rewritten config, other than the four path/listener lines. */
export function changedLines(original: string, rewritten: string): string[] {
  const a = original.split('\n');
  const b = rewritten.split('\n');
  if (a.length !== b.length) return ['line count differs'];
  return a.filter((line, i) => !REWRITTEN.has(line.trim().split(/\s+/)[0] ?? '') && b[i] !== line);
}

export async function startStackMosquitto(dir: string, gantry: Account, devices: Account[]): Promise<StackBroker> {
  ensureBinaries([BINARIES.mosquitto]);
  // Started as root, Mosquitto drops to its own user, which must reach the data folder and password file
  // (so `dir` must not sit inside a folder only root can enter).
  const asRoot = process.getuid?.() === 0;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'mosquitto']).toString().trim());
  const [uid, gid] = asRoot ? [id('-u'), id('-g')] : [process.getuid?.() ?? 0, process.getgid?.() ?? 0];
  chmodSync(dir, 0o755);
  const data = join(dir, 'data');
  mkdirSync(data);
  if (asRoot) chownSync(data, uid, gid);
  // The stack's ACL, byte for byte, where the broker's user can read it: the checkout may sit in a folder
  // only root can enter (a clone under `mktemp -d` does).
  const acl = join(dir, 'acl');
  copyFileSync(STACK_ACL, acl);
  chmodSync(acl, 0o644);
  const devicesFile = join(dir, 'devices.txt');
  writeFileSync(devicesFile, `# test fleet\n${devices.map((d) => `${d.username}:${d.password}`).join('\n\n')}\n`);
  const passwdFile = join(dir, 'passwd');
  execFileSync('sh', [join(DOCKER_MOSQUITTO, 'init-passwd.sh')], {
    env: {
      PATH: process.env.PATH, GANTRY_MQTT_USERNAME: gantry.username, GANTRY_MQTT_PASSWORD: gantry.password,
      MOSQUITTO_PASSWD_FILE: passwdFile, MQTT_DEVICES_FILE: devicesFile, MOSQUITTO_OWNER: `${uid}:${gid}`, MOSQUITTO_ACL_FILE: acl,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const port = await freePort();
  const original = readFileSync(join(DOCKER_MOSQUITTO, 'mosquitto.conf'), 'utf8');
  const rewritten = rewrite(original, { port, data, passwd: passwdFile, acl });
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(conf, rewritten);
  const log = join(dir, 'mosquitto.log');
  const child: ChildProcess = spawnGuarded(BINARIES.mosquitto.binary, ['-c', conf], { stdio: ['ignore', openSync(log, 'a'), openSync(log, 'a')] });
  await waitFor(`mosquitto on ${port} (log ${log})`, () => new Promise((res, rej) => {
    if (child.exitCode !== null) rej(new Error(`mosquitto exited: ${readFileSync(log, 'utf8').slice(-1000)}`));
    const s = tcpConnect(port, '127.0.0.1', () => { s.end(); res(true); });
    s.on('error', () => res(false));
  }), 10000, 50);
  return {
    url: `mqtt://127.0.0.1:${port}`, port, dir, passwdFile, original, rewritten,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      await new Promise<void>((r) => { child.once('exit', () => r()); child.kill('SIGTERM'); });
    },
  };
}
