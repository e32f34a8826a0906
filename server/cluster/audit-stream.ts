// The audit log of a cluster: every instance appends its entries to one Redis stream and follows it, so an
// admin sees every instance's writes wherever they ask. Each instance also keeps its local JSON Lines file
// (its own entries), which survives a Redis loss.
import { Value } from '@sinclair/typebox/value';
import { AuditEntry } from '../../contracts/index.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Logger } from '../../lib/logger.js';
import type { RedisConns } from './redis.js';
import { parseEntries, StreamBatcher, StreamTail } from './stream-tail.js';

const KEEP = 100_000;

export async function shareAudit(r: RedisConns, audit: AuditLog, me: string, log: Logger): Promise<() => Promise<void>> {
  const key = r.key('audit');
  const take = (origin: string, items: unknown[]) => {
    if (origin === me) return;
    for (const e of items) if (Value.Check(AuditEntry, e)) audit.addShared(e);
  };
  // Other instances' recent entries, oldest first (this instance's own are in its file).
  const recent = await r.cmd.sendCommand(['XREVRANGE', key, '+', '-', 'COUNT', '10000']) as [string, string[]][];
  for (const e of parseEntries(recent).reverse()) take(e.origin, e.items);
  const batcher = new StreamBatcher(r.cmd, key, me, KEEP, log);
  audit.onAppend((e) => batcher.push(e));
  const tail = new StreamTail(await r.extra(), key, recent[0]?.[0] ?? '$', (e) => take(e.origin, e.items), log);
  tail.start();
  return async () => { await batcher.drain(); await tail.stop(); };
}
