// Which tiles are on (or near) the screen. The fleet page renders every tile but feeds live data only to
// these; a tile scrolled away keeps its last props (so React skips it) and catches up when it comes back.
// With 500 scanners and a few dozen tiles in view, that is most of the page's work saved each second.
import { useCallback, useEffect, useRef, useState } from 'react';

export interface VisibleSet {
  visible: ReadonlySet<string>;
  /** Callback ref for an element carrying `data-scanner`; React 19 calls the returned cleanup on unmount. */
  observe: (el: HTMLElement | null) => (() => void) | undefined;
}

export function useVisibleSet(rootMargin = '300px'): VisibleSet {
  const [visible, setVisible] = useState<ReadonlySet<string>>(() => new Set());
  const observer = useRef<IntersectionObserver | undefined>(undefined);
  const current = useRef(new Set<string>());

  const get = useCallback((): IntersectionObserver | undefined => {
    if (typeof IntersectionObserver === 'undefined') return undefined;
    observer.current ??= new IntersectionObserver((entries) => {
      let changed = false;
      for (const e of entries) {
        const id = (e.target as HTMLElement).dataset.scanner;
        if (!id) continue;
        if (e.isIntersecting && !current.current.has(id)) { current.current.add(id); changed = true; }
        if (!e.isIntersecting && current.current.delete(id)) changed = true;
      }
      if (changed) setVisible(new Set(current.current));
    }, { rootMargin });
    return observer.current;
  }, [rootMargin]);

  useEffect(() => () => { observer.current?.disconnect(); observer.current = undefined; }, []);

  const observe = useCallback((el: HTMLElement | null) => {
    const io = get();
    if (!el || !io) return undefined;
    io.observe(el);
    return () => {
      io.unobserve(el);
      const id = el.dataset.scanner;
      if (id) current.current.delete(id);
    };
  }, [get]);

  return { visible, observe };
}
