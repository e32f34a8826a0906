// The interface PACS sources hand their figures to; the server's PacsPipeline implements it, so the
// collectors depend on this contract and not on server code.
import type { PacsProbeResult, PacsStorageSample } from '../../contracts/pacs.js';

/** What PACS sources (active probes, passive scrapes, MQTT push) hand their figures to. */
export interface PacsIntake {
  probe(r: PacsProbeResult): void;
  storage(s: PacsStorageSample): void;
  stats(pacsId: string, site: string, source: string, ts: number, values: Readonly<Record<string, number>>): void;
}
