// Socket.IO event maps. Both the server (`Server<ClientToServer, ServerToClient>`) and the web data layer
// (`Socket<ServerToClient, ClientToServer>`) are typed from these, so an event cannot drift between them.
//
// The handshake is authenticated: the browser's session cookie is sent automatically; machines pass
// `auth: { token: '<API token>' }`. `auth.rooms` picks the first view (default ['fleet']); `subscribe` and
// `unsubscribe` change it. Telemetry is coalesced per client (config realtime.maxUpdatesPerSecond per scanner).
// `auth.batch: true` asks for each coalescing tick as one message (`telemetry:batch`, `anomaly:batch`,
// `prediction:batch`) in place of one `telemetry` / `anomaly` / `prediction` message per scanner: a browser showing 500 scanners then handles a
// few messages a second instead of a thousand (each message has a fixed cost on the page's main thread).
import type { Alert } from './alerts.js';
import type { TelemetryReading } from './telemetry.js';
import type { PacsDerived, PacsProbeResult, PacsStorageSample } from './pacs.js';
import { AUDIENCE } from './auth.js';
import { SLUG_PATTERN } from './common.js';
import type { AnomalyScore, Prediction } from './alert-signals.js';

/** 'fleet' (everything the user may see), 'site:<siteId>' or 'scanner:<scannerId>'. */
export type Room = 'fleet' | `site:${string}` | `scanner:${string}`;
const SLUG_BODY = SLUG_PATTERN.slice(1, -1);
export const ROOM_PATTERN = new RegExp(`^(fleet|site:${SLUG_BODY}|scanner:${SLUG_BODY})$`);

export interface SocketAuth { token?: string; rooms?: Room[]; batch?: boolean }

export type SubscribeAck = { ok: true; rooms: Room[] } | { ok: false; error: string };

export interface ServerToClientEvents {
  telemetry: (reading: TelemetryReading) => void;
  alert: (alert: Alert) => void;
  'alerts:snapshot': (alerts: Alert[]) => void;
  'telemetry:snapshot': (readings: TelemetryReading[]) => void;
  /** Live model output per scanner (score in [0, 1], calibrated threshold) and time-to-threshold forecasts. */
  anomaly: (score: AnomalyScore) => void;
  prediction: (prediction: Prediction) => void;
  /** Batch mode (auth.batch): one tick's coalesced readings / newest score per scanner / newest forecast per scanner and metric. */
  'telemetry:batch': (readings: TelemetryReading[]) => void;
  'anomaly:batch': (scores: AnomalyScore[]) => void;
  'prediction:batch': (predictions: Prediction[]) => void;
  'pacs:probe': (result: PacsProbeResult) => void;
  'pacs:storage': (sample: PacsStorageSample) => void;
  'pacs:derived': (signals: PacsDerived) => void;
}

export interface ClientToServerEvents {
  /** Joins rooms; the ack lists every room the socket is in afterwards, or why nothing changed. */
  subscribe: (rooms: Room[], ack?: (res: SubscribeAck) => void) => void;
  unsubscribe: (rooms: Room[], ack?: (res: SubscribeAck) => void) => void;
}

/** Which roles may receive each server event and send each client event (every role may watch). */
export const SOCKET_EVENT_ROLES = {
  telemetry: AUDIENCE.everyone,
  alert: AUDIENCE.everyone,
  'alerts:snapshot': AUDIENCE.everyone,
  'telemetry:snapshot': AUDIENCE.everyone,
  anomaly: AUDIENCE.everyone,
  prediction: AUDIENCE.everyone,
  'telemetry:batch': AUDIENCE.everyone,
  'anomaly:batch': AUDIENCE.everyone,
  'prediction:batch': AUDIENCE.everyone,
  // PACS health is IT's domain (and admins'); biomedical engineers and managers do not get the stream.
  'pacs:probe': AUDIENCE.infrastructure,
  'pacs:storage': AUDIENCE.infrastructure,
  'pacs:derived': AUDIENCE.infrastructure,
  subscribe: AUDIENCE.everyone,
  unsubscribe: AUDIENCE.everyone,
} as const satisfies Record<keyof ServerToClientEvents | keyof ClientToServerEvents, readonly string[]>;
