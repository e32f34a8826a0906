// Fleet registry: sites and scanners from a JSON/YAML file that admins edit through the API (written back
// atomically). Telemetry from a scanner the registry does not know is still stored, and the scanner is
// listed as unregistered, so a typo in a gateway's topic shows up instead of vanishing or silently
// becoming fleet. In a cluster the document lives in Redis (seeded from this instance's file) so an edit
// on one instance holds on all; every instance sees every reading (cluster/readings.ts), so each keeps its
// own complete list of unregistered scanners.
import { existsSync, readFileSync } from 'node:fs';
import { Value } from '@sinclair/typebox/value';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { FleetFile, type FleetQuery, type Scanner, type ScannerUpdate, type Site, type UnregisteredScanner } from '../../contracts/index.js';
import { HttpError } from '../auth/guard.js';
import type { EventBus } from '../../lib/event-bus.js';
import type { SharedState } from '../lib/shared-state.js';
import { AtomicFile } from '../../lib/atomic-file.js';

const MAX_UNREGISTERED = 10_000;

/** Reads and checks a registry file (YAML or JSON by extension); undefined when there is none. */
export function readFleetFile(path: string): FleetFile | undefined {
  if (!existsSync(path)) return undefined;
  const text = readFileSync(path, 'utf8');
  return validFleet(/\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text), `fleet registry ${path}`);
}

export function validFleet(raw: unknown, where = 'fleet registry'): FleetFile {
  const withDefaults = Value.Default(FleetFile, raw ?? {});
  if (!Value.Check(FleetFile, withDefaults)) {
    const e = Value.Errors(FleetFile, withDefaults).First();
    throw new Error(`${where} is invalid at ${e?.path ?? '/'}: ${e?.message ?? ''}`);
  }
  for (const s of withDefaults.scanners) {
    if (!withDefaults.sites.some((x) => x.id === s.site)) throw new Error(`${where}: scanner ${s.id} names unknown site ${s.site}`);
  }
  return withDefaults;
}

const empty = (): FleetFile => ({ sites: [], scanners: [] });

export class FleetRegistry {
  private local: FleetFile;
  private readonly unknown = new Map<string, UnregisteredScanner>();
  private readonly file: AtomicFile;
  private readonly yaml: boolean;
  private off: (() => void) | undefined;

  /** `shared`: the cluster's document (then the file is only the seed of an empty Redis). */
  constructor(path: string, private readonly shared?: SharedState<FleetFile>) {
    this.file = new AtomicFile(path, 0o644);
    this.yaml = /\.ya?ml$/i.test(path);
    this.local = shared ? empty() : readFleetFile(path) ?? empty();
  }

  private get data(): FleetFile { return this.shared ? this.shared.current() ?? this.local : this.local; }

  /** Applies a change to the newest document and stores it. `fn` may run again on fresh data (cluster). */
  private async change<R>(fn: (d: FleetFile) => R): Promise<R> {
    if (this.shared) return this.shared.update(empty, fn);
    const draft = structuredClone(this.local);
    const result = fn(draft);
    this.local = draft;
    await this.file.write(this.yaml ? stringifyYaml(draft) : `${JSON.stringify(draft, null, 2)}\n`);
    return result;
  }

  start(bus: EventBus): void {
    this.off = bus.on('telemetry', (r) => {
      if (this.scanner(r.scannerId)) return;
      const u = this.unknown.get(r.scannerId);
      if (u) { u.lastSeen = Math.max(u.lastSeen, r.ts); u.messages++; u.site = r.site; u.modality = r.modality; return; }
      if (this.unknown.size >= MAX_UNREGISTERED) return;
      this.unknown.set(r.scannerId, { scannerId: r.scannerId, site: r.site, modality: r.modality, firstSeen: r.ts, lastSeen: r.ts, messages: 1 });
    }, 'fleet-registry');
  }

  stop(): void { this.off?.(); }

  sites(): Site[] { return [...this.data.sites].sort((a, b) => a.id.localeCompare(b.id)); }
  site(id: string): Site | undefined { return this.data.sites.find((s) => s.id === id); }
  scanner(id: string): Scanner | undefined { return this.data.scanners.find((s) => s.id === id); }

  scanners(q: FleetQuery = {}): Scanner[] {
    return this.data.scanners
      .filter((s) => (!q.site || s.site === q.site) && (!q.modality || s.modality === q.modality))
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  /** Scanners heard from but not registered (another instance may have registered one since). */
  unregistered(): UnregisteredScanner[] {
    for (const id of [...this.unknown.keys()]) if (this.scanner(id)) this.unknown.delete(id);
    return [...this.unknown.values()].sort((a, b) => a.scannerId.localeCompare(b.scannerId));
  }

  async putSite(site: Site): Promise<{ site: Site; created: boolean }> {
    const created = await this.change((d) => {
      const i = d.sites.findIndex((s) => s.id === site.id);
      if (i >= 0) d.sites[i] = site; else d.sites.push(site);
      return i < 0;
    });
    return { site, created };
  }

  async deleteSite(id: string): Promise<void> {
    await this.change((d) => {
      if (!d.sites.some((s) => s.id === id)) throw new HttpError(404, `site ${id} does not exist`);
      if (d.scanners.some((s) => s.site === id)) throw new HttpError(409, `site ${id} still has scanners`, 'site_in_use');
      d.sites = d.sites.filter((s) => s.id !== id);
    });
  }

  async putScanner(scanner: Scanner): Promise<{ scanner: Scanner; created: boolean }> {
    const created = await this.change((d) => {
      if (!d.sites.some((s) => s.id === scanner.site)) throw new HttpError(400, `site ${scanner.site} does not exist; create it first`, 'unknown_site');
      const i = d.scanners.findIndex((s) => s.id === scanner.id);
      if (i >= 0) d.scanners[i] = scanner; else d.scanners.push(scanner);
      return i < 0;
    });
    this.unknown.delete(scanner.id);
    return { scanner, created };
  }

  async patchScanner(id: string, patch: ScannerUpdate): Promise<Scanner> {
    const cur = this.scanner(id);
    if (!cur) throw new HttpError(404, `scanner ${id} does not exist`);
    return (await this.putScanner({ ...cur, ...patch, id })).scanner;
  }

  async deleteScanner(id: string): Promise<void> {
    await this.change((d) => {
      if (!d.scanners.some((s) => s.id === id)) throw new HttpError(404, `scanner ${id} does not exist`);
      d.scanners = d.scanners.filter((s) => s.id !== id);
    });
  }
}
