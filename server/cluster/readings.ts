// Every instance's collector takes a share of the fleet's messages (MQTT 5 shared subscription), but alert
// rules with for-durations and rates, detectors and forecasts need all of a scanner's readings in one place.
// Each instance appends the readings it accepted to one Redis stream; every instance follows the stream
// (its dashboards see the whole fleet), and the leader also evaluates each reading from it. The leader saves
// its position; a new leader first replays what the old one had not evaluated, so a reading that arrived
// during the failover is judged late rather than never.
import type { TelemetryReading } from '../../contracts/telemetry.js';
import type { EventBus } from '../../lib/event-bus.js';
import type { Logger } from '../../lib/logger.js';
import type { ClusterCoordinator } from './coordinator.js';
import { Fence } from './fence.js';
import type { RedisConns } from './redis.js';
import { parseEntries, StreamBatcher, StreamTail, type StreamEntry } from './stream-tail.js';


export interface RelayOptions {
  instanceId: string; maxLen: number;
  /** Replay no reading older than this at takeover: a restart after a long stop must not judge stale data. */
  replayWindowMs: number;
}

const idMs = (id: string) => Number(id.split('-')[0]);

export class ReadingRelay {
  private readonly batcher: StreamBatcher;
  /** Readings this process emitted on its bus for other instances: not appended again. */
  private readonly remote = new WeakSet<TelemetryReading>();
  private tail: StreamTail | undefined;
  private off: (() => void) | undefined;
  private catchUp = false;
  private leading = false;
  private evaluated: string | undefined;
  private saved: string | undefined;
  private saver: NodeJS.Timeout | undefined;
  private readonly fence: Fence;

  constructor(
    private readonly r: RedisConns, private readonly bus: EventBus, lease: ClusterCoordinator,
    private readonly opts: RelayOptions, private readonly evaluate: (r: TelemetryReading) => void, private readonly log: Logger,
  ) {
    this.batcher = new StreamBatcher(r.cmd, this.key, opts.instanceId, opts.maxLen, log);
    this.fence = new Fence(r, lease);
  }

  private get key(): string { return this.r.key('readings'); }
  private get cursorKey(): string { return this.r.key('readings:evaluated'); }

  async start(): Promise<void> {
    this.off = this.bus.on('telemetry', (x) => { if (!this.remote.has(x)) this.batcher.push(x); });
    this.tail = new StreamTail(await this.r.extra(), this.key, '$', (e) => this.onEntry(e), this.log);
    this.tail.start();
    this.saver = setInterval(() => { void this.saveCursor(); }, 250);
  }

  async stop(): Promise<void> {
    clearInterval(this.saver);
    this.off?.();
    await this.batcher.drain();
    await this.tail?.stop();
    await this.saveCursor();
  }

  /**
   * Starts or stops evaluating. Called once the alerting service is ready to judge (after it took over the
   * shared alert state), not at the lease change itself: readings replayed before that would be dropped.
   */
  setLeading(on: boolean): void {
    if (on && !this.leading) this.catchUp = true;
    this.leading = on;
  }

  /** Resolves once the readings accepted so far are in the stream. */
  flush(): Promise<void> { return this.batcher.drain(); }

  private async onEntry(e: StreamEntry): Promise<void> {
    const items = e.items as TelemetryReading[];
    if (e.origin !== this.opts.instanceId) {
      for (const x of items) { this.remote.add(x); this.bus.emit('telemetry', x); }
    }
    if (!this.leading) return;
    if (this.catchUp) { this.catchUp = false; await this.replayBefore(e.id); }
    this.judge(items);
    this.evaluated = e.id;
  }

  /** Evaluates what lies between the last leader's saved position and `until` (exclusive). */
  private async replayBefore(until: string): Promise<void> {
    const saved = await this.r.cmd.get(this.cursorKey);
    if (!saved) return;
    const oldest = Date.now() - this.opts.replayWindowMs;
    let from = idMs(saved) >= oldest ? saved : `${oldest}-0`;
    let replayed = 0;
    for (;;) {
      const raw = await this.r.cmd.sendCommand(['XRANGE', this.key, `(${from}`, `(${until}`, 'COUNT', '500']) as [string, string[]][];
      if (raw.length === 0) break;
      for (const x of parseEntries(raw)) { this.judge(x.items as TelemetryReading[]); replayed += x.items.length; from = x.id; }
    }
    this.log.info({ replayed }, 'new leader evaluated the readings its predecessor had not');
  }

  private judge(items: TelemetryReading[]): void {
    for (const x of items) {
      try { this.evaluate(x); } catch (err) { this.log.error({ err: (err as Error).message }, 'alert evaluation failed for a reading'); }
    }
  }

  private async saveCursor(): Promise<void> {
    const pos = this.evaluated;
    if (!pos || pos === this.saved || !this.leading) return;
    try {
      // Only the lease holder moves the evaluation cursor.
      if (await this.fence.set(this.cursorKey, pos)) this.saved = pos;
    } catch (err) { this.log.warn({ err: (err as Error).message }, 'could not save the evaluation position'); }
  }
}
