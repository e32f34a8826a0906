// Ordered shutdown of what a composition root started: steps stop in reverse order of start (the simulator
// before the ingest it publishes to, the ingest before the broker and InfluxDB it uses), one at a time, and
// what has not finished yet can be named, so a shutdown cut off by its deadline says what it was stuck on.
import type { Logger } from '../../lib/logger.js';

type Stop = () => Promise<void> | void;

export class StopSteps {
  private readonly steps: { name: string; stop: Stop }[] = [];
  private left: string[] | undefined;

  constructor(private readonly log: Logger) {}

  add(name: string, stop: Stop): void {
    this.steps.push({ name, stop });
  }

  /** Stops every step, last added first; an error is logged and the next step still runs. */
  async stopAll(): Promise<void> {
    const order = this.steps.splice(0).reverse();
    this.left = order.map((s) => s.name);
    for (const { name, stop } of order) {
      const t = performance.now();
      try { await stop(); } catch (err) { this.log.error({ err, step: name }, 'error while stopping'); }
      this.left.shift();
      this.log.debug({ step: name, ms: Math.round(performance.now() - t) }, 'stopped');
    }
  }

  /** Steps of a running stopAll() not finished yet, the one in progress first. */
  pending(): string[] {
    return [...(this.left ?? [])];
  }
}
