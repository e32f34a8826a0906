// Future event list of the simulation: a binary min-heap on (time, insertion order), so simultaneous events
// run in the order they were scheduled and a replication is exactly repeatable.
export interface Scheduled<E> { t: number; seq: number; event: E }

export class EventQueue<E> {
  private readonly heap: Scheduled<E>[] = [];
  private seq = 0;

  get size(): number { return this.heap.length; }

  push(t: number, event: E): void {
    const h = this.heap;
    h.push({ t, seq: this.seq++, event });
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }

  pop(): Scheduled<E> | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(l, m)) m = l;
        if (r < h.length && this.less(r, m)) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
    }
    return top;
  }

  private less(a: number, b: number): boolean {
    const x = this.heap[a] as Scheduled<E>;
    const y = this.heap[b] as Scheduled<E>;
    return x.t < y.t || (x.t === y.t && x.seq < y.seq);
  }

  private swap(a: number, b: number): void {
    const h = this.heap;
    [h[a], h[b]] = [h[b] as Scheduled<E>, h[a] as Scheduled<E>];
  }
}
