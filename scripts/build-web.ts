// Builds the dashboard when web/dist is missing or older than its sources, so `npm start` and `npm test`
// never serve a stale UI and do not rebuild needlessly.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newest(dir: string): number {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const p = join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

export function buildWebIfStale(say: (l: string) => void): void {
  const index = 'web/dist/index.html';
  const built = existsSync(index) ? statSync(index).mtimeMs : 0;
  if (built > Math.max(newest('web'), newest('contracts'))) return;
  say('[gantry] building the dashboard (vite build)…');
  execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], { stdio: 'inherit' });
}
