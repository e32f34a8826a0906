// Reading /proc directly, independently of Gantry's own process scanning, so a test can check it.
import { readdirSync, readFileSync } from 'node:fs';

/** Processes named `binary` whose command line holds `configPath` (zombies have an empty cmdline). */
export function processesWithConfig(binary: string, configPath: string): number[] {
  return readdirSync('/proc').filter((e) => /^\d+$/.test(e)).map(Number).filter((pid) => {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      return (argv[0] ?? '').endsWith(binary) && argv.includes(configPath);
    } catch { return false; }
  });
}

export function parentOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}
