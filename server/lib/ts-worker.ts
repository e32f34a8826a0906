// Starts a worker thread from a module beside the caller. The worker has the caller's extension: .ts under
// tsx, .js once compiled. Node 20 does not pass loader hooks registered with --import on to worker threads,
// so a .ts worker registers tsx itself first.
import { Worker } from 'node:worker_threads';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';

export function startModuleWorker(callerUrl: string, baseName: string, workerData: unknown): Worker {
  const ext = extname(fileURLToPath(callerUrl));
  const url = new URL(`./${baseName}${ext}`, callerUrl);
  if (ext !== '.ts') return new Worker(url, { workerData });
  const boot = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); })`;
  return new Worker(boot, { eval: true, workerData });
}
