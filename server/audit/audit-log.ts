// Audit log of every API write, as an append-only JSON Lines file under dataDir. A file rather than
// InfluxDB: the audit trail must keep working when InfluxDB is down, must not expire with telemetry
// retention, and is small (one line per human or machine write). The newest entries are also kept in memory
// so admins can query them without reading the file.
import { createWriteStream, existsSync, mkdirSync, readFileSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { Value } from '@sinclair/typebox/value';
import { AuditEntry, type AuditQuery } from '../../contracts/index.js';
import { paginate, type PageOf } from '../../contracts/index.js';

export class AuditLog {
  private readonly entries: AuditEntry[] = [];
  private readonly out: WriteStream;
  private readonly listeners: ((e: AuditEntry) => void)[] = [];

  constructor(readonly file: string, private readonly keep = 100_000) {
    mkdirSync(dirname(file), { recursive: true });
    if (existsSync(file)) {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (!line) continue;
        try {
          const e: unknown = JSON.parse(line);
          if (Value.Check(AuditEntry, e)) this.entries.push(e);
        } catch { /* a torn last line after a crash: skip it */ }
      }
      this.entries.splice(0, Math.max(0, this.entries.length - keep));
    }
    this.out = createWriteStream(file, { flags: 'a', mode: 0o600 });
  }

  append(e: AuditEntry): void {
    this.entries.push(e);
    if (this.entries.length > this.keep) this.entries.shift();
    this.out.write(`${JSON.stringify(e)}\n`);
    for (const l of this.listeners) l(e);
  }

  /** Called for every entry this process appends (a cluster copies them to the shared log). */
  onAppend(listener: (e: AuditEntry) => void): void { this.listeners.push(listener); }

  /** An entry another instance of a cluster appended: kept for queries, not written to this file. */
  addShared(e: AuditEntry): void {
    this.entries.push(e);
    if (this.entries.length > this.keep) this.entries.shift();
  }

  /** Newest first. */
  query(q: AuditQuery): PageOf<AuditEntry> {
    const hits: AuditEntry[] = [];
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const e = this.entries[i] as AuditEntry;
      if (q.actor && e.actor !== q.actor) continue;
      if (q.action && !e.action.includes(q.action)) continue;
      if (q.from !== undefined && e.ts < q.from) continue;
      if (q.to !== undefined && e.ts >= q.to) continue;
      hits.push(e);
    }
    return paginate(hits, q);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.out.end(() => resolve()));
  }
}
