// Splits a chunk of line protocol read from the spool into write lanes by series. Every line of one series
// (measurement + tag set, the text before the first unescaped space) always lands in the same lane, and a
// lane writes its parts one after another, so concurrent writes never reorder one series' points: a point
// written twice with different values keeps the later one, as with a single serial writer.
//
// The chunk is never turned into strings: a lane part is a list of byte ranges of the chunk, and runs of
// lines of one lane (a message's samples are consecutive lines of one series) merge into one range.

export interface LanePart {
  /** The chunk the ranges point into. */
  buf: Buffer;
  /** [start, end) byte offsets, pairwise. */
  ranges: number[];
  lines: number;
  bytes: number;
}

const SPACE = 0x20;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;

/** FNV-1a of the series key of the line starting at `start`; `end` bounds the scan. */
export function seriesHash(buf: Buffer, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) {
    const b = buf[i] as number;
    if (b === SPACE) break;
    h = Math.imul(h ^ b, 0x01000193);
    // An escaped character (\ , \, \=) belongs to the key: hash it and skip past it.
    if (b === BACKSLASH && i + 1 < end) { i++; h = Math.imul(h ^ (buf[i] as number), 0x01000193); }
  }
  return h >>> 0;
}

/** Splits complete lines (each ending in a newline) into `lanes` parts; empty parts are left out (undefined). */
export function splitByLane(buf: Buffer, lanes: number): (LanePart | undefined)[] {
  const parts: (LanePart | undefined)[] = new Array<LanePart | undefined>(lanes).fill(undefined);
  let start = 0;
  while (start < buf.length) {
    let end = buf.indexOf(NEWLINE, start);
    end = end < 0 ? buf.length : end + 1;
    const lane = lanes === 1 ? 0 : seriesHash(buf, start, end) % lanes;
    let part = parts[lane];
    if (!part) { part = { buf, ranges: [], lines: 0, bytes: 0 }; parts[lane] = part; }
    const r = part.ranges;
    if (r.length > 0 && r[r.length - 1] === start) r[r.length - 1] = end;
    else r.push(start, end);
    part.lines++;
    part.bytes += end - start;
    start = end;
  }
  return parts;
}

/** One body of the parts' bytes, in order. */
export function joinParts(parts: readonly LanePart[]): Buffer {
  if (parts.length === 1 && parts[0]?.ranges.length === 2) {
    const p = parts[0];
    return p.buf.subarray(p.ranges[0], p.ranges[1]);
  }
  const out = Buffer.allocUnsafe(parts.reduce((n, p) => n + p.bytes, 0));
  let at = 0;
  for (const p of parts) {
    for (let i = 0; i < p.ranges.length; i += 2) at += p.buf.copy(out, at, p.ranges[i], p.ranges[i + 1]);
  }
  return out;
}

/** The first `n` lines of a body (for a dead letter). */
export function firstLines(body: Buffer, n: number): Buffer {
  let end = 0;
  for (let i = 0; i < n; i++) {
    const nl = body.indexOf(NEWLINE, end);
    if (nl < 0) return body;
    end = nl + 1;
  }
  return body.subarray(0, end);
}
