// One small JSON document of state (users and sessions, device credentials) behind an interface, so the
// single-process default keeps its atomic file and a cluster keeps the same document in Redis
// (server/cluster/redis-state.ts). Readers use an in-memory copy (auth runs on every request and must stay
// synchronous); writers go through update(), which applies a change to the newest document.
import { AtomicFile, readJsonFile } from '../../lib/atomic-file.js';

export interface SharedState<T> {
  /** The newest document known to this process (undefined before the first write of a fresh deployment). */
  current(): T | undefined;
  /**
   * Applies `fn` to the newest document (or `init()` when there is none) and stores the result atomically.
   * `fn` mutates the document it is given; it may throw to abort (nothing is stored). In a cluster it may
   * run more than once when another instance wrote in between, so it must not have side effects.
   */
  update<R>(init: () => T, fn: (doc: T) => R): Promise<R>;
  /** Called with the document after another instance changed it. */
  onChange(listener: (doc: T) => void): void;
  /** Brings current() up to the newest stored document (before a decision that must not use a stale copy). */
  sync(): Promise<void>;
}

/** The single-process store: a JSON file written atomically. */
export class FileState<T> implements SharedState<T> {
  private doc: T | undefined;
  private readonly file: AtomicFile;

  constructor(path: string, validate: (raw: unknown) => T) {
    this.file = new AtomicFile(path);
    const raw = readJsonFile(path);
    if (raw !== undefined) this.doc = validate(raw);
  }

  current(): T | undefined { return this.doc; }

  async update<R>(init: () => T, fn: (doc: T) => R): Promise<R> {
    const doc = this.doc ?? init();
    const result = fn(doc);
    this.doc = doc;
    await this.file.write(JSON.stringify(doc, null, 1));
    return result;
  }

  onChange(): void { /* one process: nobody else writes the file */ }
  async sync(): Promise<void> { /* the copy is the file */ }
}
