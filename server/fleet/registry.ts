// Fleet registry: sites and scanners from a JSON/YAML file that admins edit through the API (written back
// atomically). Telemetry from a scanner the registry does not know is still stored, and the scanner is
// listed as unregistered, so a typo in a gateway's topic shows up instead of vanishing or silently
// becoming fleet.
import { existsSync, readFileSync } from 'node:fs';
import { Value } from '@sinclair/typebox/value';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { FleetFile, type FleetQuery, type Scanner, type ScannerUpdate, type Site, type UnregisteredScanner } from '../../contracts/index.js';
import { HttpError } from '../auth/guard.js';
import type { EventBus } from '../../lib/event-bus.js';
import { AtomicFile } from '../../lib/atomic-file.js';

const MAX_UNREGISTERED = 10_000;

export class FleetRegistry {
  private data: FleetFile = { sites: [], scanners: [] };
  private readonly unknown = new Map<string, UnregisteredScanner>();
  private readonly file: AtomicFile;
  private readonly yaml: boolean;
  private off: (() => void) | undefined;

  constructor(path: string) {
    this.file = new AtomicFile(path, 0o644);
    this.yaml = /\.ya?ml$/i.test(path);
    if (existsSync(path)) {
      const text = readFileSync(path, 'utf8');
      const raw: unknown = this.yaml ? parseYaml(text) : JSON.parse(text);
      const withDefaults = Value.Default(FleetFile, raw ?? {});
      if (!Value.Check(FleetFile, withDefaults)) {
        const e = Value.Errors(FleetFile, withDefaults).First();
        throw new Error(`fleet registry ${path} is invalid at ${e?.path ?? '/'}: ${e?.message ?? ''}`);
      }
      this.data = withDefaults;
      for (const s of this.data.scanners) {
        if (!this.site(s.site)) throw new Error(`fleet registry ${path}: scanner ${s.id} names unknown site ${s.site}`);
      }
    }
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

  private save(): Promise<void> {
    return this.file.write(this.yaml ? stringifyYaml(this.data) : `${JSON.stringify(this.data, null, 2)}\n`);
  }

  sites(): Site[] { return [...this.data.sites].sort((a, b) => a.id.localeCompare(b.id)); }
  site(id: string): Site | undefined { return this.data.sites.find((s) => s.id === id); }
  scanner(id: string): Scanner | undefined { return this.data.scanners.find((s) => s.id === id); }

  scanners(q: FleetQuery = {}): Scanner[] {
    return this.data.scanners
      .filter((s) => (!q.site || s.site === q.site) && (!q.modality || s.modality === q.modality))
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  unregistered(): UnregisteredScanner[] {
    return [...this.unknown.values()].sort((a, b) => a.scannerId.localeCompare(b.scannerId));
  }

  async putSite(site: Site): Promise<{ site: Site; created: boolean }> {
    const i = this.data.sites.findIndex((s) => s.id === site.id);
    if (i >= 0) this.data.sites[i] = site; else this.data.sites.push(site);
    await this.save();
    return { site, created: i < 0 };
  }

  async deleteSite(id: string): Promise<void> {
    if (!this.site(id)) throw new HttpError(404, `site ${id} does not exist`);
    if (this.data.scanners.some((s) => s.site === id)) throw new HttpError(409, `site ${id} still has scanners`, 'site_in_use');
    this.data.sites = this.data.sites.filter((s) => s.id !== id);
    await this.save();
  }

  async putScanner(scanner: Scanner): Promise<{ scanner: Scanner; created: boolean }> {
    if (!this.site(scanner.site)) throw new HttpError(400, `site ${scanner.site} does not exist; create it first`, 'unknown_site');
    const i = this.data.scanners.findIndex((s) => s.id === scanner.id);
    if (i >= 0) this.data.scanners[i] = scanner; else this.data.scanners.push(scanner);
    this.unknown.delete(scanner.id);
    await this.save();
    return { scanner, created: i < 0 };
  }

  async patchScanner(id: string, patch: ScannerUpdate): Promise<Scanner> {
    const cur = this.scanner(id);
    if (!cur) throw new HttpError(404, `scanner ${id} does not exist`);
    return (await this.putScanner({ ...cur, ...patch, id })).scanner;
  }

  async deleteScanner(id: string): Promise<void> {
    if (!this.scanner(id)) throw new HttpError(404, `scanner ${id} does not exist`);
    this.data.scanners = this.data.scanners.filter((s) => s.id !== id);
    await this.save();
  }
}
