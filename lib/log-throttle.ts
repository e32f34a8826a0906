// Logs a recurring problem once per key per interval with a count of what was suppressed, so a scanner
// stuck sending bad payloads cannot flood the log.
import type { Logger } from './logger.js';

export class LogThrottle {
  private readonly last = new Map<string, { at: number; suppressed: number }>();

  constructor(private readonly log: Logger, private readonly intervalMs = 60000) {}

  warn(key: string, fields: Record<string, unknown>, msg: string, now = Date.now()): void {
    const entry = this.last.get(key);
    if (entry && now - entry.at < this.intervalMs) {
      entry.suppressed += 1;
      return;
    }
    this.log.warn({ ...fields, suppressedSinceLast: entry?.suppressed ?? 0 }, msg);
    this.last.set(key, { at: now, suppressed: 0 });
  }
}
