// docker/docker-compose.yml as Compose sees it with a filled-in docker/.env (the .env.example values, its
// empty secrets replaced by test secrets).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { interpolateDeep, parseEnvFile } from './compose-env.js';

export const DOCKER_DIR = resolve('docker');
export const COMPOSE_PATH = join(DOCKER_DIR, 'docker-compose.yml');

export interface ComposeService {
  image?: string;
  build?: unknown;
  restart?: string;
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  healthcheck?: { test: string[] };
  deploy?: { resources?: { limits?: { cpus?: string; memory?: string } } };
  logging?: unknown;
  profiles?: string[];
  depends_on?: Record<string, { condition: string }>;
}
export interface ComposeFile { services: Record<string, ComposeService>; volumes: Record<string, unknown>; secrets?: Record<string, { file: string }> }

export const composeText = readFileSync(COMPOSE_PATH, 'utf8');
export const envExample = parseEnvFile(readFileSync(join(DOCKER_DIR, '.env.example'), 'utf8'));
export const filledEnv: ReadonlyMap<string, string> = new Map([...envExample].map(([k, v]) => [k, v === '' && /PASSWORD/.test(k) ? `test-secret-for-${k.toLowerCase()}` : v]));
export const compose = interpolateDeep(parseYaml(composeText, { merge: true }), filledEnv) as ComposeFile;
