// Socket.IO event maps. Both the server (`Server<ClientToServer, ServerToClient>`) and the web data layer
// (`Socket<ServerToClient, ClientToServer>`) are typed from these, so an event cannot drift between them.
import type { Alert } from './alerts.js';
import type { TelemetryReading } from './telemetry.js';
import type { PacsDerived, PacsProbeResult, PacsStorageSample } from './pacs.js';

export interface ServerToClientEvents {
  telemetry: (reading: TelemetryReading) => void;
  alert: (alert: Alert) => void;
  'alerts:snapshot': (alerts: Alert[]) => void;
  'telemetry:snapshot': (readings: TelemetryReading[]) => void;
  'pacs:probe': (result: PacsProbeResult) => void;
  'pacs:storage': (sample: PacsStorageSample) => void;
  'pacs:derived': (signals: PacsDerived) => void;
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- clients only listen for now
export interface ClientToServerEvents {}
