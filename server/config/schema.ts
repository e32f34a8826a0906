// The single configuration schema. Every key has a default and a description; docs/configuration.md is
// generated from this file (npm run docs:config) and a test fails when the two disagree.
import { Type, type Static } from '@sinclair/typebox';

const Port = (def: number, description: string) => Type.Integer({ minimum: 0, maximum: 65535, default: def, description });

export const ConfigSchema = Type.Object(
  {
    dataDir: Type.String({ default: 'data', description: 'Folder for private service data (InfluxDB, spool); relative to the working directory.' }),
    log: Type.Object(
      {
        level: Type.Union(
          ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
          { default: 'info', description: 'pino log level.' },
        ),
      },
      { default: {} },
    ),
    http: Type.Object(
      {
        host: Type.String({ default: '127.0.0.1', description: 'Address the HTTP server binds. Loopback until authentication is configured.' }),
        port: Port(8080, 'HTTP port for the API, Socket.IO and the dashboard (0 = any free port).'),
        webDist: Type.String({ default: 'web/dist', description: 'Folder of the built dashboard served at /.' }),
        corsOrigins: Type.String({ default: '', description: 'Comma-separated origins allowed to call the API from a browser (CORS). Empty: same origin only.' }),
        trustProxy: Type.Boolean({ default: false, description: 'Trust X-Forwarded-* from a reverse proxy (client address in the audit log, Secure cookies behind TLS).' }),
        secureCookies: Type.Boolean({ default: false, description: 'Mark the session cookie Secure (set when Gantry is reached over HTTPS, directly or through a proxy).' }),
        rateLimitPerMinute: Type.Integer({ minimum: 1, default: 1200, description: 'Requests per minute per client address across the API.' }),
        bodyLimitBytes: Type.Integer({ minimum: 1024, default: 1048576, description: 'Largest accepted request body; larger ones are answered 413.' }),
        publicMetrics: Type.Boolean({ default: false, description: 'Serve /metrics without authentication (a private scrape network). Otherwise an API token with the metrics scope is required.' }),
      },
      { default: {} },
    ),
    influx: Type.Object(
      {
        url: Type.String({ default: '', description: 'URL of an existing InfluxDB (1.x API, or 2.x/3.x v1-compatible). Empty: Gantry runs a private influxd.' }),
        database: Type.String({ default: 'gantry', pattern: '^[A-Za-z0-9_]+$', description: 'Database (bucket mapping on 2.x) that holds Gantry data.' }),
        retentionPolicy: Type.String({ default: 'raw', pattern: '^[A-Za-z0-9_]+$', description: 'Retention policy for raw telemetry.' }),
        retentionDays: Type.Integer({ minimum: 1, default: 30, description: 'How long raw telemetry is kept (private/managed database only).' }),
        rollupRetentionDays: Type.Integer({ minimum: 0, default: 1825, description: 'How long hourly rollups (sum/count/min/max per metric, for long-range series) are kept; 0 turns rollups off.' }),
        username: Type.String({ default: '', description: 'InfluxDB user (sent as HTTP basic auth).' }),
        password: Type.String({ default: '', description: 'InfluxDB password. Secret: never logged.' }),
        port: Port(0, 'Port of the private influxd (0 = a free port).'),
        batchSize: Type.Integer({ minimum: 1, default: 5000, description: 'Lines per write batch.' }),
        flushIntervalMs: Type.Integer({ minimum: 10, default: 250, description: 'Longest time a point waits before its batch is written.' }),
        maxRetries: Type.Integer({ minimum: 0, default: 3, description: 'Write retries (with exponential back-off) before a batch goes to the spool.' }),
      },
      { default: {} },
    ),
    mqtt: Type.Object(
      {
        url: Type.String({ default: '', description: 'URL of an existing MQTT broker (mqtt://, mqtts://). Empty: Gantry runs an embedded broker.' }),
        username: Type.String({ default: '', description: 'Username Gantry connects to an external broker (mqtt.url) with; the embedded broker uses a credential generated at each start.' }),
        password: Type.String({ default: '', description: 'Password for the broker. Secret: never logged.' }),
        clientId: Type.String({ default: 'gantry-collector', description: 'Client id of the telemetry collector; fixed so the broker keeps its persistent session.' }),
        embeddedHost: Type.String({ default: '127.0.0.1', description: 'Address the embedded broker binds.' }),
        embeddedPort: Port(1883, 'Port of the embedded broker (0 = a free port).'),
        allowAnonymous: Type.Boolean({ default: false, description: 'Embedded broker: accept clients without credentials (publishing anywhere under gantry/v1). Off: every device needs a credential.' }),
        devicesFile: Type.String({ default: '', description: 'Embedded broker: JSON file of device/gateway credentials (hashed) and their topic ACLs. Empty: <dataDir>/mqtt-devices.json.' }),
      },
      { default: {} },
    ),
    ingest: Type.Object(
      {
        maxPayloadBytes: Type.Integer({ minimum: 256, default: 262144, description: 'Largest accepted MQTT payload; larger ones are rejected as oversize.' }),
        maxSamplesPerMessage: Type.Integer({ minimum: 1, default: 1000, description: 'Most samples one batch message may carry.' }),
        maxFutureSkewSeconds: Type.Integer({ minimum: 0, default: 300, description: 'How far in the future a sample timestamp may be (clock skew allowance).' }),
        spoolMaxBytes: Type.Integer({ minimum: 1048576, default: 1073741824, description: 'Disk bound of the write-ahead spool that holds accepted points until InfluxDB has them.' }),
        spoolFsyncMs: Type.Integer({ minimum: 1, default: 200, description: 'Interval of fsync of the spool (power-loss window; a killed process loses nothing).' }),
      },
      { default: {} },
    ),
    alerts: Type.Object(
      {
        heliumLowPct: Type.Number({ minimum: 0, maximum: 100, default: 60, description: 'MRI helium level (%) below which an alert fires.' }),
        heliumHysteresisPct: Type.Number({ minimum: 0, default: 2, description: 'The level must recover this far above the limit before the alert clears.' }),
      },
      { default: {} },
    ),
    auth: Type.Object(
      {
        initialAdminPassword: Type.String({ default: '', description: 'Password of the admin created at first start (automation, tests). Empty: a random one-time password is printed once. Secret: never logged.' }),
        stateFile: Type.String({ default: '', description: 'JSON file of users, API tokens and sessions (hashes only). Empty: <dataDir>/auth.json.' }),
        sessionTtlHours: Type.Number({ minimum: 0.01, default: 12, description: 'Lifetime of a login session.' }),
        loginMaxAttempts: Type.Integer({ minimum: 1, default: 5, description: 'Failed logins for one user before it is locked out.' }),
        lockoutMinutes: Type.Number({ minimum: 0.01, default: 15, description: 'How long a user stays locked out after too many failed logins.' }),
        loginRatePerMinute: Type.Integer({ minimum: 1, default: 20, description: 'Login attempts per minute per client address.' }),
      },
      { default: {} },
    ),
    fleet: Type.Object(
      {
        registryFile: Type.String({ default: '', description: 'JSON or YAML file of sites and scanners; admins edit it through the API. Empty: <dataDir>/fleet.json.' }),
      },
      { default: {} },
    ),
    api: Type.Object(
      {
        seriesMaxPoints: Type.Integer({ minimum: 10, maximum: 5000, default: 1000, description: 'Most buckets per metric a series query returns; the step is widened to fit.' }),
        auditFile: Type.String({ default: '', description: 'Append-only JSON Lines audit log of every API write. Empty: <dataDir>/audit.jsonl.' }),
      },
      { default: {} },
    ),
    realtime: Type.Object(
      {
        maxUpdatesPerSecond: Type.Number({ minimum: 0.1, maximum: 100, default: 2, description: 'Telemetry updates per second per scanner sent to one Socket.IO client; faster readings are merged.' }),
      },
      { default: {} },
    ),
    simulator: Type.Object(
      {
        enabled: Type.Boolean({ default: false, description: 'Run the simulated fleet inside the platform (npm start turns it on).' }),
        scanners: Type.Integer({ minimum: 1, maximum: 10000, default: 12, description: 'Number of simulated scanners.' }),
        intervalMs: Type.Integer({ minimum: 10, default: 1000, description: 'Publish interval per scanner.' }),
        seed: Type.Integer({ default: 1, description: 'Random seed, so a run can be repeated.' }),
      },
      { default: {} },
    ),
  },
  { additionalProperties: false },
);

export type Config = Static<typeof ConfigSchema>;
