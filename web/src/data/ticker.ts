// One shared publish tick for the live stores. Readings and model scores arrive as bursts of hundreds of
// socket messages; each store marks itself dirty and the ticker flushes every dirty store together, at most
// once per interval and inside an animation frame. Flushing together lets React batch the stores' state
// updates into one render, and the interval (not every frame) is what keeps a 500-tile page cheap while a
// tile still changes within a second of its reading (the server itself sends at most 2 updates/s).
export const PUBLISH_INTERVAL_MS = 500;

export interface TickerClock {
  now(): number;
  setTimeout(cb: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Runs cb before the next paint; falls back to a timer where there is no rendering (node tests). */
  frame(cb: () => void): unknown;
  cancelFrame(handle: unknown): void;
}

// Typed loosely so the data layer also compiles (and its tests run) where there is no DOM.
interface FrameApi { requestAnimationFrame?: (cb: () => void) => number; cancelAnimationFrame?: (h: number) => void }
const frames = globalThis as unknown as FrameApi;

const browserClock: TickerClock = {
  now: () => performance.now(),
  setTimeout: (cb, ms) => globalThis.setTimeout(cb, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof globalThis.setTimeout>),
  frame: (cb) => (frames.requestAnimationFrame ? frames.requestAnimationFrame(cb) : globalThis.setTimeout(cb, 16)),
  cancelFrame: (h) => { if (frames.cancelAnimationFrame) frames.cancelAnimationFrame(h as number); else globalThis.clearTimeout(h as ReturnType<typeof globalThis.setTimeout>); },
};

export class Ticker {
  private readonly dirty = new Set<() => void>();
  private handle: unknown;
  private kind: 'timer' | 'frame' | undefined;
  private last = Number.NEGATIVE_INFINITY;
  flushes = 0;

  constructor(private readonly intervalMs = PUBLISH_INTERVAL_MS, private readonly clock: TickerClock = browserClock) {}

  /** Asks for `flush` to run on the next tick; asking again before it runs changes nothing. */
  request(flush: () => void): void {
    this.dirty.add(flush);
    if (this.kind) return;
    const wait = this.last + this.intervalMs - this.clock.now();
    if (wait > 0) {
      this.kind = 'timer';
      this.handle = this.clock.setTimeout(() => this.toFrame(), wait);
    } else this.toFrame();
  }

  /** Drops a pending flush (a store whose last listener left). */
  forget(flush: () => void): void {
    this.dirty.delete(flush);
    if (this.dirty.size > 0 || !this.kind) return;
    if (this.kind === 'timer') this.clock.clearTimeout(this.handle); else this.clock.cancelFrame(this.handle);
    this.kind = undefined;
  }

  private toFrame(): void {
    this.kind = 'frame';
    this.handle = this.clock.frame(() => this.run());
  }

  private run(): void {
    this.kind = undefined;
    this.last = this.clock.now();
    this.flushes++;
    const due = [...this.dirty];
    this.dirty.clear();
    for (const f of due) f();
  }
}

/** The page's ticker, shared by every live store. */
export const ticker = new Ticker();
