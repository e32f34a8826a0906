// Keeps one private service process running: when it exits without being asked to, it is started again
// after an exponentially growing delay (min, 2×min, … up to max), so a service that crashes at once is not
// restarted in a tight loop, and the delay falls back to min once a run has lasted `stableMs`. A deliberate
// kill() (tests simulating an outage) pauses supervision until restart().
import type { ChildProcess } from 'node:child_process';
import type { Logger } from '../../lib/logger.js';

export interface Backoff {
  /** First restart delay after a crash. */
  minMs: number;
  /** Longest restart delay. */
  maxMs: number;
  /** A run this long resets the delay to minMs. */
  stableMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { minMs: 1000, maxMs: 60000, stableMs: 60000 };

export interface ServiceState {
  name: string;
  up: boolean;
  pid: number | undefined;
  /** Restarts after crashes since start (deliberate restarts are not counted). */
  restarts: number;
  /** Why it last stopped, e.g. "signal SIGKILL" or "exit code 1". */
  lastExit: string | undefined;
  /** When the next restart attempt is due (epoch ms), while it is down. */
  nextAttemptAt: number | undefined;
}

export interface SupervisorOptions {
  name: string;
  /** Spawns the service and resolves once it serves; must kill what it spawned when it rejects. */
  launch: () => Promise<ChildProcess>;
  backoff?: Backoff | undefined;
  log?: Logger | undefined;
  /** Called after each successful restart following a crash (metrics). */
  onRestart?: (() => void) | undefined;
}

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `signal ${signal}` : `exit code ${code ?? '?'}`;
}

/**
 * Set once the whole process is shutting down. A terminal's Ctrl-C (or a signal to the process group) reaches
 * the private services too, so they may exit before Gantry stops them: that is no crash to restart from.
 */
let shuttingDown = false;
export function processShuttingDown(): void { shuttingDown = true; }

export class Supervisor {
  private child: ChildProcess | undefined;
  private supervising = false;
  private attempt = 0;
  private timer: NodeJS.Timeout | undefined;
  private stableTimer: NodeJS.Timeout | undefined;
  private restarts = 0;
  /** Bumped by stop()/kill(), so a launch still in flight then is undone instead of left running. */
  private epoch = 0;
  private lastExit: string | undefined;
  private nextAttemptAt: number | undefined;
  private readonly backoff: Backoff;

  constructor(private readonly opts: SupervisorOptions) {
    this.backoff = opts.backoff ?? DEFAULT_BACKOFF;
  }

  /** First start: a failure here is thrown (a broken config must stop Gantry, not loop). */
  async start(): Promise<void> {
    await this.run();
  }

  state(): ServiceState {
    const up = this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
    return { name: this.opts.name, up, pid: up ? this.child?.pid : undefined, restarts: this.restarts, lastExit: this.lastExit, nextAttemptAt: up ? undefined : this.nextAttemptAt };
  }

  /** Stops the service for good (SIGTERM, SIGKILL after graceMs). */
  async stop(graceMs = 10000): Promise<void> {
    this.pause();
    const proc = this.child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((r) => proc.once('exit', () => r()));
    proc.kill('SIGTERM');
    const force = setTimeout(() => proc.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(force);
  }

  /** Deliberate kill: not restarted until restart() is called. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    this.pause();
    const proc = this.child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    await new Promise<void>((r) => { proc.once('exit', () => r()); proc.kill(signal); });
  }

  /** Starts it again after a deliberate kill() and resumes supervision. */
  async restart(): Promise<void> {
    if (this.state().up) return;
    await this.run();
  }

  private pause(): void {
    this.supervising = false;
    this.epoch++;
    clearTimeout(this.timer);
    clearTimeout(this.stableTimer);
    this.nextAttemptAt = undefined;
  }

  private async run(): Promise<void> {
    const epoch = this.epoch;
    const proc = await this.opts.launch();
    if (epoch !== this.epoch) {
      proc.kill('SIGKILL');
      throw new Error(`${this.opts.name} was stopped while it was starting`);
    }
    this.child = proc;
    this.supervising = true;
    proc.once('exit', (code, signal) => this.exited(proc, describeExit(code, signal)));
    clearTimeout(this.stableTimer);
    this.stableTimer = setTimeout(() => { this.attempt = 0; }, this.backoff.stableMs);
    this.stableTimer.unref();
  }

  private exited(proc: ChildProcess, why: string): void {
    if (proc !== this.child) return;
    this.lastExit = why;
    if (!this.supervising) return;
    clearTimeout(this.stableTimer);
    if (shuttingDown) {
      this.opts.log?.info({ service: this.opts.name, exit: why }, 'private service exited while Gantry shuts down; not restarted');
      return;
    }
    this.scheduleRestart(why);
  }

  private scheduleRestart(why: string): void {
    const delay = Math.min(this.backoff.maxMs, this.backoff.minMs * 2 ** this.attempt);
    this.attempt++;
    this.nextAttemptAt = Date.now() + delay;
    this.opts.log?.error({ service: this.opts.name, exit: why, restartInMs: delay, attempt: this.attempt }, 'private service stopped unexpectedly; restarting');
    this.timer = setTimeout(() => { void this.tryRestart(); }, delay);
    this.timer.unref();
  }

  private async tryRestart(): Promise<void> {
    if (!this.supervising) return;
    try {
      await this.run();
      this.restarts++;
      this.nextAttemptAt = undefined;
      this.opts.log?.info({ service: this.opts.name, pid: this.child?.pid, restarts: this.restarts }, 'private service restarted');
      this.opts.onRestart?.();
    } catch (err) {
      if (this.supervising) this.scheduleRestart(`restart failed: ${(err as Error).message}`);
    }
  }
}
