// CPU and memory of a process from /proc (Linux): CPU seconds (user + system) and resident set size.
import { readFileSync, readdirSync } from 'node:fs';

const TICKS = 100; // USER_HZ on Linux

export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

export function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

/** First process whose command line contains `needle` (e.g. a private config path). */
export function findPid(needle: string): number | undefined {
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(needle)) return Number(d);
    } catch { /* exited */ }
  }
  return undefined;
}

/** Samples CPU and peak RSS of some processes between start() and stop(). */
export class ProcWatch {
  private readonly cpu0 = new Map<string, number>();
  private readonly peak = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private t0 = 0;

  constructor(private readonly pids: Record<string, number>) {}

  start(): void {
    this.t0 = performance.now();
    for (const [k, pid] of Object.entries(this.pids)) { this.cpu0.set(k, cpuSeconds(pid)); this.peak.set(k, rssBytes(pid)); }
    this.timer = setInterval(() => {
      for (const [k, pid] of Object.entries(this.pids)) {
        try { this.peak.set(k, Math.max(this.peak.get(k) ?? 0, rssBytes(pid))); } catch { /* exited */ }
      }
    }, 250);
  }

  stop(): Record<string, { cpuCores: number; cpuSeconds: number; peakRssMiB: number }> {
    if (this.timer) clearInterval(this.timer);
    const wall = (performance.now() - this.t0) / 1000;
    const out: Record<string, { cpuCores: number; cpuSeconds: number; peakRssMiB: number }> = {};
    for (const [k, pid] of Object.entries(this.pids)) {
      const used = cpuSeconds(pid) - (this.cpu0.get(k) ?? 0);
      out[k] = { cpuSeconds: round(used), cpuCores: round(used / wall), peakRssMiB: round((this.peak.get(k) ?? 0) / 1048576) };
    }
    return out;
  }
}

export const round = (v: number, digits = 2): number => Math.round(v * 10 ** digits) / 10 ** digits;

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}
