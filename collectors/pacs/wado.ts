// Retrieval over DICOMweb WADO-RS (GET {base}/studies/{uid}): time to the first byte of the multipart body,
// total time and bytes. The body is counted and discarded, never parsed.
import type { DimseOutcome } from './dimse.js';
import { authHeaders, type HttpSource } from './passive.js';

function classify(err: unknown): Pick<DimseOutcome, 'cause' | 'code'> {
  const e = err as Error & { cause?: { code?: string } };
  const code = e.cause?.code ?? '';
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return { cause: 'timeout', code: 'http' };
  if (code === 'ECONNREFUSED') return { cause: 'tcp_refused', code: 'econnrefused' };
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') return { cause: 'tcp_timeout', code: 'connect' };
  return { cause: 'network_error', code: code ? code.toLowerCase().slice(0, 40) : 'other' };
}

export async function wadoRetrieveStudy(src: HttpSource, timeoutMs: number, studyInstanceUid: string): Promise<DimseOutcome> {
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  try {
    const res = await fetch(`${src.url.replace(/\/$/, '')}/studies/${studyInstanceUid}`, {
      headers: { accept: 'multipart/related; type="application/dicom"', ...authHeaders(src) },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok || !res.body) {
      await res.body?.cancel();
      return { ok: false, durationMs: elapsed(), cause: 'http_status', code: `http_${res.status}` };
    }
    let bytes = 0;
    let firstInstanceMs: number | undefined;
    for await (const chunk of res.body) {
      firstInstanceMs ??= elapsed();
      bytes += (chunk as Uint8Array).byteLength;
    }
    return { ok: bytes > 0, durationMs: elapsed(), bytes, ...(firstInstanceMs !== undefined ? { firstInstanceMs } : {}), ...(bytes > 0 ? {} : { cause: 'http_status' as const, code: 'empty' }) };
  } catch (err) {
    return { ok: false, durationMs: elapsed(), ...classify(err) };
  }
}
