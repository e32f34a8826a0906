// Write-ahead spool for accepted line protocol. Every accepted reading is appended here before the broker
// gets its PUBACK, and a drain loop copies the spool to InfluxDB, advancing a persisted cursor. So an
// InfluxDB outage only makes the spool grow, and a killed process resumes from its cursor: nothing accepted
// is lost. Replays can repeat a batch that was written but not yet marked; InfluxDB overwrites a point with
// the same series and timestamp, so that causes no duplicates.
//
// An append is a synchronous write() to the OS: it survives the process being killed. fsync (survival of a
// power cut) happens in batches, every `fsyncIntervalMs`, in the thread pool (an fsync on the main thread
// stalled message handling for milliseconds at a time), which is what keeps ingest fast.
import { fsync, closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, statSync, unlinkSync, writeFileSync, writeSync, fstatSync, ftruncateSync } from 'node:fs';
import { join } from 'node:path';

export interface SpoolOptions {
  dir: string;
  segmentBytes?: number;
  maxBytes: number;
  fsyncIntervalMs?: number;
}

/** A position in the spool: a segment number and a byte offset in it. */
export interface SpoolCursor { segment: number; offset: number }

const SEGMENT_RE = /^seg-(\d{10})\.lp$/;
const segName = (n: number) => `seg-${String(n).padStart(10, '0')}.lp`;

export class SpoolFullError extends Error {}

export class Spool {
  private readonly segmentBytes: number;
  private writeSeg: number;
  private writeFd: number;
  private writeSize: number;
  private cursor: SpoolCursor;
  private segments: number[];
  private sizes = new Map<number, number>();
  private dirty = false;
  /** Background fsyncs in flight per descriptor: it may be closed only when none is left. */
  private readonly inflight = new Map<number, number>();
  private closed = false;
  /** Average line length of the last read, to size the next one. */
  private lineBytes = 512;
  private readonly fsyncTimer: NodeJS.Timeout;

  constructor(private readonly opts: SpoolOptions) {
    this.segmentBytes = opts.segmentBytes ?? 16 * 1024 * 1024;
    mkdirSync(opts.dir, { recursive: true });
    this.segments = readdirSync(opts.dir).map((f) => SEGMENT_RE.exec(f)).filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1])).sort((a, b) => a - b);
    this.cursor = this.readCursor();
    // Segments before the cursor were fully drained but not yet deleted when we stopped.
    for (const s of this.segments.filter((n) => n < this.cursor.segment)) unlinkSync(join(opts.dir, segName(s)));
    this.segments = this.segments.filter((n) => n >= this.cursor.segment);
    if (this.segments.length === 0) this.segments.push(this.cursor.segment);
    for (const s of this.segments) this.sizes.set(s, this.fileSize(s));
    this.writeSeg = this.segments[this.segments.length - 1] as number;
    this.writeFd = openSync(join(opts.dir, segName(this.writeSeg)), 'a');
    this.writeSize = this.truncateTornTail();
    this.fsyncTimer = setInterval(() => this.syncInBackground(), opts.fsyncIntervalMs ?? 200);
    this.fsyncTimer.unref();
  }

  /** Appends complete lines. Throws SpoolFullError when the bound would be exceeded. */
  append(lines: readonly string[]): void {
    if (lines.length > 0) this.appendText(`${lines.join('\n')}\n`);
  }

  /** Appends text made of complete lines, each ending in a newline. Throws SpoolFullError like append(). */
  appendText(text: string): void {
    if (text.length === 0) return;
    const buf = Buffer.from(text, 'utf8');
    if (this.pendingBytes() + buf.length > this.opts.maxBytes) {
      throw new SpoolFullError(`spool full (${this.pendingBytes()} of ${this.opts.maxBytes} bytes): InfluxDB has not accepted writes for a while`);
    }
    if (this.writeSize > 0 && this.writeSize + buf.length > this.segmentBytes) this.rotate();
    writeSync(this.writeFd, buf);
    this.writeSize += buf.length;
    this.sizes.set(this.writeSeg, this.writeSize);
    this.dirty = true;
  }

  /** Reads up to `maxLines` complete lines from the cursor without consuming them. */
  peek(maxLines: number, maxBytes = 4 * 1024 * 1024): { lines: string[]; next: SpoolCursor } {
    const lines: string[] = [];
    let from = this.cursor;
    while (lines.length < maxLines) {
      const r = this.read(from, maxLines - lines.length, maxBytes);
      if (r.lines === 0) break;
      const text = r.buf.toString('utf8');
      lines.push(...text.slice(0, -1).split('\n'));
      from = r.next;
    }
    return { lines, next: from };
  }

  /** Where the next read after everything committed starts. */
  get committed(): SpoolCursor { return this.cursor; }

  /**
   * Up to `maxLines` complete lines (each ending in a newline) from `from`, as the bytes on disk: the drain
   * reads ahead of the committed cursor and sends these bytes as they are. Stays within one segment.
   */
  read(from: SpoolCursor, maxLines: number, maxBytes = 4 * 1024 * 1024): { buf: Buffer; lines: number; next: SpoolCursor; atEnd: boolean } {
    let { segment, offset } = from;
    for (;;) {
      const size = this.sizes.get(segment) ?? 0;
      if (offset < size) break;
      const later = this.segments.find((s) => s > segment);
      if (later === undefined) return { buf: Buffer.alloc(0), lines: 0, next: { segment, offset }, atEnd: true };
      segment = later; offset = 0;
    }
    // Sized from the lines read so far (with margin), not always maxBytes: the reader keeps several chunks in
    // memory, and a 4 MiB read for 5000 lines of ~400 bytes copied twice what it used. A line longer than
    // that guess is read again at maxBytes; one longer than maxBytes cannot happen (payload limits).
    const cap = Math.min((this.sizes.get(segment) ?? 0) - offset, maxBytes);
    let buf = this.readAt(segment, offset, Math.min(cap, Math.ceil(this.lineBytes * maxLines * 1.25) + 65536));
    if (buf.indexOf(0x0a) < 0 && buf.length < cap) buf = this.readAt(segment, offset, cap);
    let end = 0;
    let lines = 0;
    for (let nl = buf.indexOf(0x0a); nl >= 0 && lines < maxLines; nl = buf.indexOf(0x0a, end)) { end = nl + 1; lines++; }
    if (lines > 0) this.lineBytes = end / lines;
    const next = { segment, offset: offset + end };
    // Short of maxLines only because the segment ends here, not the spool: the caller need not wait for more.
    const atEnd = next.offset >= (this.sizes.get(segment) ?? 0) && !this.segments.some((s) => s > segment);
    return { buf: buf.subarray(0, end), lines, next, atEnd };
  }

  private readAt(segment: number, offset: number, len: number): Buffer {
    const buf = Buffer.allocUnsafe(len);
    const fd = openSync(join(this.opts.dir, segName(segment)), 'r');
    try { readSync(fd, buf, 0, len, offset); } finally { closeSync(fd); }
    return buf;
  }

  /** Marks everything up to `next` as written to InfluxDB, persisting the cursor and dropping drained segments. */
  commit(next: SpoolCursor): void {
    this.cursor = next;
    const tmp = join(this.opts.dir, 'cursor.json.tmp');
    writeFileSync(tmp, JSON.stringify(next));
    renameSync(tmp, join(this.opts.dir, 'cursor.json'));
    for (const s of this.segments.filter((n) => n < next.segment)) {
      unlinkSync(join(this.opts.dir, segName(s)));
      this.sizes.delete(s);
    }
    this.segments = this.segments.filter((n) => n >= next.segment);
  }

  /** Bytes accepted but not yet in InfluxDB. */
  pendingBytes(): number {
    let total = 0;
    for (const s of this.segments) total += this.sizes.get(s) ?? 0;
    return total - this.cursor.offset;
  }

  get maxBytes(): number { return this.opts.maxBytes; }

  /** Synchronous fsync of what was appended (at close and rotation). */
  sync(): void {
    if (!this.dirty) return;
    this.dirty = false;
    fsyncSync(this.writeFd);
  }

  private syncInBackground(): void {
    if (!this.dirty || this.inflight.has(this.writeFd)) return;
    this.dirty = false;
    this.fsyncAsync(this.writeFd);
  }

  /** fsync in the thread pool; the last one to finish on a rotated-away or closed descriptor closes it. */
  private fsyncAsync(fd: number): void {
    this.inflight.set(fd, (this.inflight.get(fd) ?? 0) + 1);
    fsync(fd, () => {
      const left = (this.inflight.get(fd) ?? 1) - 1;
      if (left > 0) { this.inflight.set(fd, left); return; }
      this.inflight.delete(fd);
      if (fd !== this.writeFd || this.closed) closeSync(fd);
    });
  }

  /** Closes a descriptor unless a background fsync still uses it (then that fsync's callback closes it). */
  private release(fd: number): void {
    if (!this.inflight.has(fd)) closeSync(fd);
  }

  close(): void {
    clearInterval(this.fsyncTimer);
    this.sync();
    this.closed = true;
    this.release(this.writeFd);
  }

  private rotate(): void {
    // The finished segment is flushed off the event loop: an fsync on a busy disk can take far longer than a
    // message may wait. Its descriptor stays open until that fsync is done.
    const old = this.writeFd;
    const dirty = this.dirty;
    this.dirty = false;
    if (dirty) this.fsyncAsync(old);
    this.release(old);
    this.writeSeg += 1;
    this.segments.push(this.writeSeg);
    this.writeFd = openSync(join(this.opts.dir, segName(this.writeSeg)), 'a');
    this.writeSize = 0;
    this.sizes.set(this.writeSeg, 0);
  }

  private readCursor(): SpoolCursor {
    try {
      const c = JSON.parse(readFileSync(join(this.opts.dir, 'cursor.json'), 'utf8')) as SpoolCursor;
      if (Number.isInteger(c.segment) && Number.isInteger(c.offset)) return c;
    } catch { /* no cursor yet: start at the first segment */ }
    return { segment: this.segments[0] ?? 1, offset: 0 };
  }

  private fileSize(seg: number): number {
    try { return statSync(join(this.opts.dir, segName(seg))).size; } catch { return 0; }
  }

  /** A crash can leave half a line at the end of the last segment; drop it so no torn point is replayed. */
  private truncateTornTail(): number {
    const size = fstatSync(this.writeFd).size;
    if (size === 0) return 0;
    const tail = Buffer.alloc(Math.min(size, 1 << 20));
    const rfd = openSync(join(this.opts.dir, segName(this.writeSeg)), 'r+');
    try {
      readSync(rfd, tail, 0, tail.length, size - tail.length);
      const lastNl = tail.lastIndexOf(0x0a);
      const keep = size - tail.length + lastNl + 1;
      if (keep < size) {
        ftruncateSync(rfd, keep);
        this.sizes.set(this.writeSeg, keep);
        return keep;
      }
      return size;
    } finally { closeSync(rfd); }
  }
}
