// SharedState kept in Redis: the document and a version in one hash, written with a compare-and-set script
// that also publishes the new document, so every instance's in-memory copy is replaced as soon as the
// message arrives (Redis sends it before it answers the writer). A password change, a revoked token or a
// deleted session is in force on every instance within that one message's delivery; logins and other
// writes also check the version first (sync), so they never act on an older copy.
import type { SharedState } from '../lib/shared-state.js';
import type { RedisConns } from './redis.js';

// KEYS[1] = hash, ARGV = expected version, new version, document, channel
const CAS = `
local v = redis.call('HGET', KEYS[1], 'v') or '0'
if v ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'v', ARGV[2], 'doc', ARGV[3])
redis.call('PUBLISH', ARGV[4], ARGV[2] .. '\\n' .. ARGV[3])
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
    await r.sub.subscribe(s.channel, (msg) => s.announced(msg));
    await s.reload();
    if (s.doc === undefined && seed !== undefined) await s.update(() => seed, () => undefined);
    return s;
  }

  private get hash(): string { return this.r.key(`state:${this.name}`); }
  private get channel(): string { return this.r.key(`state:${this.name}:changed`); }

  current(): T | undefined { return this.doc; }
  onChange(listener: (doc: T) => void): void { this.listeners.push(listener); }

  private announced(msg: string): void {
    const nl = msg.indexOf('\n');
    try { this.take(Number(msg.slice(0, nl)), msg.slice(nl + 1)); } catch { void this.reload(); }
  }

  private take(v: number, text: string | undefined): void {
    if (v <= this.version || text === undefined) return;
    this.version = v;
    this.doc = this.validate(JSON.parse(text));
    for (const l of this.listeners) l(this.doc);
  }

  private async reload(): Promise<void> {
    const h = await this.r.cmd.hGetAll(this.hash);
    this.take(Number(h.v ?? 0), h.doc);
  }

  /** Makes sure the copy is the newest (one round trip; a no-op read when it already is). */
  async sync(): Promise<void> {
    const v = Number((await this.r.cmd.hGet(this.hash, 'v')) ?? 0);
    if (v > this.version) await this.reload();
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
