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
      },
      { default: {} },
    ),
    influx: Type.Object(
      {
        url: Type.String({ default: '', description: 'URL of an existing InfluxDB (1.x API, or 2.x/3.x v1-compatible). Empty: Gantry runs a private influxd.' }),
        database: Type.String({ default: 'gantry', pattern: '^[A-Za-z0-9_]+$', description: 'Database (bucket mapping on 2.x) that holds Gantry data.' }),
        retentionPolicy: Type.String({ default: 'raw', pattern: '^[A-Za-z0-9_]+$', description: 'Retention policy for raw telemetry.' }),
        retentionDays: Type.Integer({ minimum: 1, default: 30, description: 'How long raw telemetry is kept (private/managed database only).' }),
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
        username: Type.String({ default: '', description: 'Username Gantry connects to the broker with.' }),
        password: Type.String({ default: '', description: 'Password for the broker. Secret: never logged.' }),
        clientId: Type.String({ default: 'gantry-collector', description: 'Client id of the telemetry collector; fixed so the broker keeps its persistent session.' }),
        embeddedHost: Type.String({ default: '127.0.0.1', description: 'Address the embedded broker binds.' }),
        embeddedPort: Port(1883, 'Port of the embedded broker (0 = a free port).'),
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
        rulesDir: Type.String({ default: 'rules', description: 'Folder of alert rule YAML files (rules, channels, routes, labels); hot-reloaded.' }),
        rulesFile: Type.String({ default: '', description: 'YAML file holding rules edited through the API; wins over rulesDir. Empty: alert-rules.yaml in dataDir.' }),
        catalogDefaults: Type.Boolean({ default: true, description: 'Add threshold rules from the metric catalog warning/critical levels (a rule file may replace one by id).' }),
        catalogForMs: Type.Integer({ minimum: 0, default: 60000, description: 'Pending duration ("for") of the catalog threshold rules, in ms.' }),
        hotReload: Type.Boolean({ default: true, description: 'Reload rule files when they change.' }),
        tickMs: Type.Integer({ minimum: 10, default: 1000, description: 'Evaluation tick for no-data, pending promotion, reminders, escalation and expiry, in ms.' }),
        flapThreshold: Type.Integer({ minimum: 1, default: 6, description: 'Firing/resolved changes within the flap window above which an alert is flapping (notifications held).' }),
        flapWindowMs: Type.Integer({ minimum: 1, default: 3600000, description: 'Flap detection window, in ms.' }),
        dashboardUrl: Type.String({ default: 'http://127.0.0.1:8080', description: 'Base URL of the dashboard, used for links in notifications.' }),
        notifyMaxAttempts: Type.Integer({ minimum: 1, default: 5, description: 'Delivery attempts per notification and channel.' }),
        notifyRetryBaseMs: Type.Integer({ minimum: 1, default: 2000, description: 'First retry delay; doubles after each failed attempt.' }),
        keepResolved: Type.Integer({ minimum: 0, default: 200, description: 'Resolved alerts kept in memory for the list and the dashboard.' }),
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
