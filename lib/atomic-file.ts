// Small JSON state files (users, fleet registry, device credentials) written atomically: a temp file is
// written and fsynced, then renamed over the old one, so a crash leaves either the old or the new file,
// never half of one. Writes are serialised so two quick edits cannot interleave.
import { mkdirSync, readFileSync, existsSync, openSync, writeSync, fsyncSync, closeSync, renameSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';

export function readJsonFile(path: string): unknown {
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, 'utf8')) as unknown;
}

/** Synchronous one-off atomic write (a service's config file written once at start). */
export function writeFileAtomicSync(path: string, text: string, mode = 0o644): void {
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', mode);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

export class AtomicFile {
  private chain: Promise<void> = Promise.resolve();

  constructor(readonly path: string, private readonly mode = 0o600) {
    mkdirSync(dirname(path), { recursive: true });
  }

  /** Queues a write of `text`; resolves when it is durable. */
  write(text: string): Promise<void> {
    const next = this.chain.then(() => this.writeNow(text));
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async writeNow(text: string): Promise<void> {
    const tmp = `${this.path}.${process.pid}.tmp`;
    const fh = await open(tmp, 'w', this.mode);
    try {
      await fh.writeFile(text);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, this.path);
  }
}
