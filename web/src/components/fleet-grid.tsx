import type { Alert } from '../../../contracts/alerts';
import type { TelemetryReading } from '../../../contracts/telemetry';
import { ScannerTile } from './scanner-tile';

export function FleetGrid({ fleet, alerts }: { fleet: ReadonlyMap<string, TelemetryReading>; alerts: Alert[] }) {
  const bySite = new Map<string, TelemetryReading[]>();
  for (const r of fleet.values()) bySite.set(r.site, [...(bySite.get(r.site) ?? []), r]);
  const sites = [...bySite.keys()].sort();
  if (sites.length === 0) return <section className="fleet empty" data-testid="fleet-empty">Waiting for the first scanner to report…</section>;
  return (
    <section className="fleet" aria-label="Fleet">
      {sites.map((site) => (
        <div key={site} className="site">
          <h2>{site}</h2>
          <div className="tiles">
            {(bySite.get(site) ?? []).sort((a, b) => a.scannerId.localeCompare(b.scannerId)).map((r) => (
              <ScannerTile key={r.scannerId} reading={r} alerts={alerts.filter((a) => a.scannerId === r.scannerId)} />
            ))}
          </div>
        </div>
      ))}
    </section>
  );
}
