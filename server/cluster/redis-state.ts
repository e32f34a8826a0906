// SharedState kept in Redis: the document and a version in one hash, written with a compare-and-set script
// and announced on a channel, so every instance's in-memory copy follows within a round trip. A password
// change, a revoked token or a deleted session is therefore in force on every instance as soon as the
// writing request has answered (the announcement goes out before the write's reply).
import type { SharedState } from '../lib/shared-state.js';
import type { RedisConns } from './redis.js';

// KEYS[1] = hash, ARGV = expected version, new version, document, channel
const CAS = `
local v = redis.call('HGET', KEYS[1], 'v') or '0'
if v ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'v', ARGV[2], 'doc', ARGV[3])
redis.call('PUBLISH', ARGV[4], ARGV[2])
return 1`;

export class RedisState<T> implements SharedState<T> {
  private doc: T | undefined;
  private version = 0;
  private readonly listeners: ((doc: T) => void)[] = [];
  private chain: Promise<unknown> = Promise.resolve();

  private constructor(private readonly r: RedisConns, private readonly name: string, private readonly validate: (raw: unknown) => T) {}

  /** Loads the document and follows other instances' writes. `seed` fills an empty Redis (migration). */
  static async open<T>(r: RedisConns, name: string, validate: (raw: unknown) => T, seed?: T): Promise<RedisState<T>> {
    const s = new RedisState(r, name, validate);
    await r.sub.subscribe(s.channel, (v) => { if (Number(v) > s.version) void s.reload(); });
    await s.reload();
    if (s.doc === undefined && seed !== undefined) await s.update(() => seed, () => undefined);
    return s;
  }

  private get hash(): string { return this.r.key(`state:${this.name}`); }
  private get channel(): string { return this.r.key(`state:${this.name}:changed`); }

  current(): T | undefined { return this.doc; }
  onChange(listener: (doc: T) => void): void { this.listeners.push(listener); }

  private async reload(): Promise<void> {
    const h = await this.r.cmd.hGetAll(this.hash);
    const v = Number(h.v ?? 0);
    if (v <= this.version || h.doc === undefined) return;
    this.version = v;
    this.doc = this.validate(JSON.parse(h.doc));
    for (const l of this.listeners) l(this.doc);
  }

  update<R>(init: () => T, fn: (doc: T) => R): Promise<R> {
    // One write at a time from this process; conflicts with other instances are retried on fresh data.
    const run = this.chain.then(() => this.casLoop(init, fn));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async casLoop<R>(init: () => T, fn: (doc: T) => R): Promise<R> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const h = await this.r.cmd.hGetAll(this.hash);
      const v = Number(h.v ?? 0);
      const doc = h.doc === undefined ? init() : this.validate(JSON.parse(h.doc));
      const result = fn(doc);
      const text = JSON.stringify(doc);
      const ok = await this.r.cmd.eval(CAS, { keys: [this.hash], arguments: [String(v), String(v + 1), text, this.channel] });
      if (ok === 1) {
        this.version = v + 1;
        this.doc = doc;
        return result;
      }
    }
    throw new Error(`shared state ${this.name}: too many concurrent writers`);
  }
}
