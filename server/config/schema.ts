// The single configuration schema. Every key has a default and a description; docs/configuration.md is
// generated from this file (npm run docs:config) and a test fails when the two disagree.
import { Type, type Static } from '@sinclair/typebox';
import { ModelBackendSetting } from '../../contracts/model-backend.js';
import { PacsTarget } from '../../collectors/pacs/target.js';
import { Role } from '../../contracts/auth.js';
import { SLUG_PATTERN } from '../../contracts/common.js';

export { PacsTarget };

const Port = (def: number, description: string) => Type.Integer({ minimum: 0, maximum: 65535, default: def, description });

// PacsTarget is defined beside the PACS collector that consumes it (collectors/pacs/target.ts).


export const ConfigSchema = Type.Object(
  {
    dataDir: Type.String({ default: 'data', description: 'Folder for private service data (InfluxDB, spool); relative to the working directory.' }),
    shutdownTimeoutSeconds: Type.Number({ exclusiveMinimum: 0, default: 20, description: 'On SIGINT/SIGTERM every part stops in order; if that has not finished after this long, Gantry logs the parts still stopping and exits with code 1 (private InfluxDB/broker children are killed with it).' }),
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
        username: Type.String({ default: '', description: 'InfluxDB user (sent as HTTP basic auth).' }),
        password: Type.String({ default: '', description: 'InfluxDB password. Secret: never logged.' }),
        port: Port(0, 'Port of the private influxd (0 = a free port).'),
        batchSize: Type.Integer({ minimum: 1, default: 5000, description: 'Lines per write batch.' }),
        flushIntervalMs: Type.Integer({ minimum: 10, default: 250, description: 'Longest time a point waits before its batch is written.' }),
        writeConcurrency: Type.Integer({ minimum: 1, maximum: 32, default: 4, description: 'Writes to InfluxDB in flight at once. The spool is split into this many lanes by series, so one series is always written in order; the spool is released only up to what every lane has written.' }),
        maxRetries: Type.Integer({ minimum: 0, default: 3, description: 'Failed write attempts tolerated before /health reports InfluxDB degraded. Retries never stop: accepted data waits in the spool.' }),
        retryMinDelayMs: Type.Integer({ minimum: 1, default: 250, description: 'First retry delay after a failed write; doubles per failure.' }),
        retryMaxDelayMs: Type.Integer({ minimum: 1, default: 10000, description: 'Longest retry delay between failed writes.' }),
        gzipThreshold: Type.Integer({ minimum: 0, default: 65536, description: 'Write bodies of at least this many bytes are sent gzip-compressed (InfluxDB 1.x and later accept Content-Encoding gzip).' }),
        rollups: Type.Boolean({ default: true, description: 'Create the rollup_1m / rollup_1h retention policies and continuous queries (sum/count/min/max) for long ranges (managed database only).' }),
        rollup1mDays: Type.Integer({ minimum: 1, default: 180, description: 'How long 1-minute rollups are kept.' }),
        rollup1hDays: Type.Integer({ minimum: 1, default: 1825, description: 'How long 1-hour rollups are kept.' }),
      },
      { default: {} },
    ),
    services: Type.Object(
      {
        restartMinDelayMs: Type.Integer({ minimum: 10, default: 1000, description: 'First delay before a crashed private service (influxd) is started again; doubles after each failed or short run.' }),
        restartMaxDelayMs: Type.Integer({ minimum: 10, default: 60000, description: 'Longest delay between restart attempts of a crashed private service.' }),
        restartStableMs: Type.Integer({ minimum: 100, default: 60000, description: 'A private service that has run this long counts as healthy again: its next crash restarts after restartMinDelayMs.' }),
      },
      { default: {} },
    ),
    mqtt: Type.Object(
      {
        url: Type.String({ default: '', description: 'URL of an existing MQTT broker (mqtt://, mqtts://). Empty: Gantry runs an embedded broker.' }),
        username: Type.String({ default: '', description: 'Username Gantry connects to an external broker (mqtt.url) with; the embedded broker uses a credential generated at each start.' }),
        password: Type.String({ default: '', description: 'Password for the broker. Secret: never logged.' }),
        clientId: Type.String({ default: 'gantry-collector', description: 'Client id of the telemetry collector; fixed so the broker keeps its persistent session.' }),
        collectorConnections: Type.Integer({ minimum: 1, maximum: 16, default: 1, description: 'MQTT connections of the collector; more than one uses a shared subscription (MQTT 5 brokers such as Mosquitto).' }),
        sharedGroup: Type.String({ default: '', pattern: '^[A-Za-z0-9_-]*$', description: 'Shared subscription group ($share/GROUP/...); empty: plain subscription with one connection, "gantry" with several.' }),
        embeddedHost: Type.String({ default: '127.0.0.1', description: 'Address the embedded broker binds.' }),
        embeddedPort: Port(1883, 'Port of the embedded broker (0 = a free port).'),
        allowAnonymous: Type.Boolean({ default: false, description: 'Embedded broker: accept clients without credentials (publishing anywhere under gantry/v1). Off: every device needs a credential.' }),
        devicesFile: Type.String({ default: '', description: 'Embedded broker: JSON file of device/gateway credentials (hashed) and their topic ACLs. Empty: <dataDir>/mqtt-devices.json.' }),
        embeddedMaxPacketBytes: Type.Integer({ minimum: 1024, default: 1048576, description: 'Embedded broker: largest MQTT packet a client may send (checked from its header, before it is buffered); the connection is closed past it. Keep above ingest.maxPayloadBytes plus the topic.' }),
        embeddedConnectTimeoutMs: Type.Integer({ minimum: 100, default: 5000, description: 'Embedded broker: how long a new connection may take to send its CONNECT packet.' }),
        embeddedMaxPendingConnections: Type.Integer({ minimum: 1, default: 256, description: 'Embedded broker: connections not logged in yet, at most; further ones are closed at once.' }),
        embeddedMaxPendingPerAddress: Type.Integer({ minimum: 1, default: 32, description: 'Embedded broker: connections not logged in yet from one IP address, at most.' }),
        loginDelayBaseMs: Type.Integer({ minimum: 0, default: 250, description: 'Embedded broker: delay before answering a refused login; doubles with each further refusal from the same address (forgotten after 15 min).' }),
        loginDelayMaxMs: Type.Integer({ minimum: 0, default: 8000, description: 'Embedded broker: longest delay before answering a refused login.' }),
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
        spoolAlarmPct: Type.Integer({ minimum: 1, maximum: 99, default: 80, description: 'Spool fill (% of spoolMaxBytes) at which an alarm is raised: gauge gantry_spool_alarm, a log line and /health degraded.' }),
        deadLetterMaxBytes: Type.Integer({ minimum: 65536, default: 16777216, description: 'Disk bound of the dead-letter store of rejected messages (newest kept).' }),
        deadLetterCapturePayload: Type.Boolean({ default: false, description: 'Keep the start (1 KiB) of each rejected payload in the dead-letter store, scrubbed of patient-like text. Off: only its shape (keys, types, sizes). Turn on briefly to debug a device.' }),
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
    auth: Type.Object(
      {
        initialAdminPassword: Type.String({ default: '', description: 'Password of the admin created at first start (automation, tests). Empty: a random one-time password is printed once. Secret: never logged.' }),
        stateFile: Type.String({ default: '', description: 'JSON file of users, API tokens and sessions (hashes only). Empty: <dataDir>/auth.json.' }),
        sessionTtlHours: Type.Number({ minimum: 0.01, default: 12, description: 'Lifetime of a login session.' }),
        loginMaxAttempts: Type.Integer({ minimum: 1, default: 5, description: 'Failed logins of one user from one client address before that user is locked out for that address (others can still log in as them from elsewhere).' }),
        lockoutMinutes: Type.Number({ minimum: 0.01, default: 15, description: 'How long a user stays locked out (for the address that failed) after too many failed logins.' }),
        loginRatePerMinute: Type.Integer({ minimum: 1, default: 20, description: 'Login attempts per minute per client address.' }),
        oidc: Type.Object(
          {
            issuer: Type.String({ default: '', description: 'OpenID Connect issuer URL of the hospital identity provider (Keycloak realm, Entra ID tenant v2.0, ADFS); discovery reads <issuer>/.well-known/openid-configuration. Empty: single sign-on is off.' }),
            clientId: Type.String({ default: '', description: 'Client id of Gantry at the identity provider.' }),
            clientSecret: Type.String({ default: '', description: 'Client secret (client_secret_basic). Empty: a public client (PKCE only). Secret: never logged.' }),
            providerName: Type.String({ default: 'SSO', maxLength: 60, description: 'Name on the login button ("Sign in with ...").' }),
            publicUrl: Type.String({ default: '', description: 'Base URL the browser reaches Gantry at (e.g. https://gantry.hospital.org); the redirect URI to register is <publicUrl>/api/auth/oidc/callback. Empty: taken from the request (behind a proxy: set this, or http.trustProxy).' }),
            scopes: Type.String({ default: 'openid profile email', description: 'Space-separated scopes requested (openid is always added).' }),
            usernameClaim: Type.String({ default: 'preferred_username', description: 'Claim holding the login name of the local user record (lower-cased; falls back to email, then to the subject).' }),
            rolesClaim: Type.String({ default: 'groups', description: 'Claim (dotted path, e.g. realm_access.roles) holding the groups or roles mapped by roleMap. Read from the ID token, else from the userinfo endpoint.' }),
            roleMap: Type.Record(Type.String(), Role, { default: {}, description: 'IdP group/role value -> Gantry role (YAML mapping); the first entry, in file order, that the user holds wins. No match: the login is refused.' }),
            sitesClaim: Type.String({ default: '', description: 'Claim (dotted path) holding the site slugs the user may see. Empty: every site. Set but absent from the token: no site.' }),
            allowHttp: Type.Boolean({ default: false, description: 'Allow an http:// issuer (a lab identity provider, tests). Off: https only.' }),
          },
          { default: {} },
        ),
      },
      { default: {} },
    ),
    cluster: Type.Object(
      {
        redisUrl: Type.String({ default: '', description: 'Redis (redis://[user:password@]host:port) shared by several Gantry instances: users, sessions, tokens, device credentials, the fleet registry, failed-login counts and the audit log live there, one instance evaluates alerts (leader lease, fenced) and Socket.IO uses the Redis adapter. Empty: one stand-alone process with its state in files. Secret (may carry a password): never logged.' }),
        keyPrefix: Type.String({ default: 'gantry', pattern: '^[A-Za-z0-9_.-]+$', description: 'Prefix of every Redis key and channel of this deployment (several deployments may share one Redis).' }),
        instanceId: Type.String({ default: '', pattern: '^[A-Za-z0-9_.-]*$', description: 'Name of this instance in the cluster (leader lease, logs). Empty: host name and process id.' }),
        leaseMs: Type.Integer({ minimum: 1000, default: 8000, description: 'Leader lease: a standby takes over evaluation at most this long (plus renewMs) after the leader stops renewing.' }),
        renewMs: Type.Integer({ minimum: 200, default: 2000, description: 'How often the leader renews its lease and a standby tries to take it.' }),
        streamMaxLen: Type.Integer({ minimum: 1000, default: 500000, description: 'Accepted readings kept in the Redis stream that feeds the leader (about; older ones are trimmed). Must cover the readings of leaseMs + renewMs so a new leader can replay what the old one missed.' }),
      },
      { default: {} },
    ),
    fleet: Type.Object(
      {
        registryFile: Type.String({ default: '', description: 'JSON or YAML file of sites and scanners; admins edit it through the API. Empty: <dataDir>/fleet.json. In a cluster (cluster.redisUrl) it only seeds an empty Redis, which holds the registry from then on.' }),
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
    downtime: Type.Object(
      {
        // Default rates: issue 9 quotes a public vendor estimate of over USD 41,000 of lost revenue for one MRI
        // down one day (41,000 / 24 h ≈ 1,710 USD/h). The other modalities are Gantry's assumptions scaled from
        // that figure by typical exam revenue; see docs/downtime.md. Replace them with a site's own figures.
        costPerHourUsd: Type.Object(
          {
            mri: Type.Number({ minimum: 0, default: 1710, description: 'Cost of one hour of MRI downtime, USD (from the vendor estimate of USD 41,000 per MRI-day).' }),
            ct: Type.Number({ minimum: 0, default: 1200, description: 'Cost of one hour of CT downtime, USD (assumption, see docs/downtime.md).' }),
            petct: Type.Number({ minimum: 0, default: 2000, description: 'Cost of one hour of PET-CT downtime, USD (assumption).' }),
            xray: Type.Number({ minimum: 0, default: 250, description: 'Cost of one hour of X-ray downtime, USD (assumption).' }),
            us: Type.Number({ minimum: 0, default: 200, description: 'Cost of one hour of ultrasound downtime, USD (assumption).' }),
          },
          { default: {} },
        ),
        defaultRangeDays: Type.Integer({ minimum: 1, default: 30, description: 'Range of a downtime report when the request gives no from.' }),
        maxRangeDays: Type.Integer({ minimum: 1, default: 400, description: 'Longest range one downtime request may cover.' }),
        lookbackDays: Type.Integer({ minimum: 1, default: 30, description: 'How far before a range to look for the status in force at its start.' }),
        statusRetentionPolicy: Type.String({ default: '', pattern: '^[A-Za-z0-9_]*$', description: 'Retention policy that holds scanner_status, if not the database default (trends over a year need status kept that long).' }),
        staleAfterHours: Type.Number({ minimum: 0, default: 0, description: 'A status with no newer one turns unknown after this many hours (0 = it holds until the next status; no-data alerts mark gaps).' }),
      },
      { default: {} },
    ),
    whatif: Type.Object(
      {
        replications: Type.Integer({ minimum: 2, maximum: 200, default: 20, description: 'Replications per what-if run (confidence intervals come from them).' }),
        days: Type.Integer({ minimum: 1, maximum: 365, default: 28, description: 'Simulated days per replication, after the warm-up.' }),
        warmupDays: Type.Integer({ minimum: 0, maximum: 60, default: 7, description: 'Simulated days discarded at the start of each replication.' }),
        seed: Type.Integer({ default: 1, description: 'Base random seed of what-if runs; replication i uses seed + i in baseline and scenario alike.' }),
        timezone: Type.String({ default: 'UTC', description: 'IANA time zone for the hour of day of exam arrivals fitted from exam events.' }),
        fitDays: Type.Integer({ minimum: 1, default: 28, description: 'Days of exam events used to fit arrivals and durations.' }),
        availabilityDays: Type.Integer({ minimum: 1, default: 90, description: 'Days of status history used for each scanner\'s measured availability.' }),
        radiologists: Type.Integer({ minimum: 0, default: 0, description: 'Radiologists reading for a site in the what-if model (0 = sized to about 75 % utilization of the expected reading work).' }),
      },
      { default: {} },
    ),
    pacs: Type.Object(
      {
        targets: Type.Array(PacsTarget, { default: [], description: 'PACS to probe (YAML list; see docs/pacs.md). Empty: no active PACS probes.' }),
        acceptPushed: Type.Boolean({ default: true, description: 'Accept PACS metrics pushed by edge agents on gantry/v1/{site}/pacs/{pacsId}/metrics.' }),
        derivedIntervalMs: Type.Integer({ minimum: 100, default: 10000, description: 'How often PACS derived signals (tier forecast, failure rates, latency percentiles) are recomputed and pushed.' }),
        windowMinutes: Type.Number({ exclusiveMinimum: 0, default: 60, description: 'Sliding window of probe results for failure rates and latency percentiles.' }),
        growthWindowHours: Type.Number({ exclusiveMinimum: 0, default: 168, description: 'Sliding window of tier samples for the growth rate and days-to-full forecast.' }),
        ruleOverrides: Type.Record(Type.String(), Type.Object({ threshold: Type.Optional(Type.Number()), enabled: Type.Optional(Type.Boolean()), forSeconds: Type.Optional(Type.Number({ minimum: 0 })) }, { additionalProperties: false }), { default: {}, description: 'Per rule id of contracts/pacs-rules.json: threshold / enabled / forSeconds overrides.' }),
        simulator: Type.Object(
          {
            enabled: Type.Boolean({ default: false, description: 'Run a simulated PACS (a real DICOM node on loopback) and probe it like a configured target (npm start turns it on).' }),
            id: Type.String({ pattern: SLUG_PATTERN, default: 'sim-pacs', description: 'PACS id of the simulated PACS (its InfluxDB tag "pacs").' }),
            site: Type.String({ pattern: SLUG_PATTERN, default: 'central', description: 'Site of the simulated PACS (site-scoped users see it only for this site).' }),
            port: Port(0, 'DICOM port of the simulated PACS on 127.0.0.1 (0 = any free port).'),
            aet: Type.String({ pattern: '^[ -~]{1,16}$', default: 'SIMPACS', description: 'AE title of the simulated PACS (the target\'s calledAet).' }),
            callingAet: Type.String({ pattern: '^[ -~]{1,16}$', default: 'GANTRY', description: 'The one calling AE title the simulated PACS knows (the target\'s callingAet); any other is refused.' }),
            seed: Type.Integer({ default: 1, description: 'Random seed of the simulated archive, latencies and fault order.' }),
            timeScale: Type.Number({ exclusiveMinimum: 0, maximum: 1, default: 1, description: 'Compresses simulated time: fault windows, retrieval delays and probe timeouts are multiplied by it (tests use 0.1).' }),
            cycleSeconds: Type.Number({ exclusiveMinimum: 0, default: 600, description: 'Every fault kind (refused association, timeout, abort, slow archive recall, outage) happens once per cycle of this length.' }),
            faultSeconds: Type.Number({ exclusiveMinimum: 0, default: 20, description: 'Length of each fault window.' }),
            probeIntervalMs: Type.Integer({ minimum: 10, default: 5000, description: 'C-ECHO interval of the simulated PACS\'s target (C-FIND and retrieval run at twice it).' }),
            backfillDays: Type.Number({ minimum: 0, maximum: 60, default: 7, description: 'Days of tier-usage history its storage agent publishes at start, so growth and days-to-full show at once.' }),
            storageIntervalMs: Type.Integer({ minimum: 100, default: 30000, description: 'How often its storage agent publishes tier usage.' }),
          },
          { default: {} },
        ),
      },
      { default: {} },
    ),
    models: Type.Object(
      {
        enabled: Type.Boolean({ default: true, description: 'Score live telemetry with the anomaly detector and forecast time to failure (in a worker thread).' }),
        backend: Type.Union(ModelBackendSetting.anyOf, { default: 'auto', description: 'TensorFlow.js backend: auto = tfjs-node if installed, else wasm, else cpu.' }),
        artifactsDir: Type.String({ default: 'models/artifacts', description: 'Folder of versioned model artifacts (npm run train writes there).' }),
        anomalyArtifact: Type.String({ default: '', description: 'Name of a trained detector artifact per modality, as "<name>-<modality>" folders; empty: each scanner warms up and fits its own detector online.' }),
        batchMs: Type.Integer({ minimum: 10, default: 200, description: 'Readings are sent to the scoring worker in batches this often.' }),
        scoreEverySeconds: Type.Number({ minimum: 0, default: 120, description: 'Score at most one reading per this many seconds of sample time per scanner with the anomaly detector (0: every reading). The detector counts samples (warm-up, windows, rest) and the shipped anomaly gate was measured by eval:fleet at one sample per 120 s; at every 10 s reading the same detector raised 0.655 false alarms per healthy scanner-day. Threshold rules and forecasts still see every reading.' }),
        forecastEveryMs: Type.Integer({ minimum: 1000, default: 10000, description: 'How often time-to-threshold forecasts are recomputed per scanner.' }),
        forecastSamples: Type.Integer({ minimum: 30, default: 720, description: 'Samples per metric in each of the two forecast buffers: the fine one keeps at most one per forecastEveryMs / 10 over at most fineTrendMinutes (for fast faults), the coarse one spans trendWindowHours (for slow leaks and drift).' }),
        forecastLoadFollowing: Type.Boolean({ default: false, description: 'Also forecast metrics the catalog marks followsLoad (power, tube current, anode heat, coil temperatures). Their critical limits are overloads an exam reaches in minutes (threshold rules catch those); a trend fit on them mostly sees the exam cycle (on eval:fleet tuning seeds 1-5 they raised 19 of 21 false alarms at the shipped gates).' }),
        fineTrendMinutes: Type.Number({ exclusiveMinimum: 0, default: 120, description: 'Longest span of the fine forecast buffer, whatever the sampling interval (720 samples are 2 h at 10 s but a day at 120 s).' }),
        trendWindowHours: Type.Number({ exclusiveMinimum: 0, default: 48, description: 'Span of the coarse forecast buffer: the slow trends a forecast may see.' }),
        minTrendMinutes: Type.Number({ minimum: 0, default: 5, description: 'No forecast from less than this span of data (the ramp at the start of an exam is not a trend).' }),
        maxExtrapolation: Type.Number({ exclusiveMinimum: 0, default: 4, description: 'A forecast is reported only when its time to the limit is at most this many times the span of the data it was fitted on (and its whole 90 % band is inside horizonDays).' }),
        horizonDays: Type.Number({ exclusiveMinimum: 0, default: 30, description: 'Forecasts further out than this are not reported as predictions.' }),
      },
      { default: {} },
    ),
    simulator: Type.Object(
      {
        enabled: Type.Boolean({ default: false, description: 'Run the simulated fleet inside the platform (npm start turns it on).' }),
        scanners: Type.Integer({ minimum: 1, maximum: 10000, default: 12, description: 'Number of simulated scanners.' }),
        intervalMs: Type.Integer({ minimum: 10, default: 1000, description: 'Publish interval per scanner.' }),
        seed: Type.Integer({ default: 1, description: 'Random seed, so a run can be repeated.' }),
        backfillDays: Type.Number({ minimum: 0, maximum: 400, default: 0, description: 'Before publishing live, publish this many days of simulated history (telemetry, status changes, exams), so trends, downtime figures and the what-if twin have data from the first minute. npm start sets 7.' }),
        backfillStepS: Type.Integer({ minimum: 1, default: 300, description: 'Sampling step of the backfilled history, in seconds.' }),
        backfillFaults: Type.Integer({ minimum: 0, default: 2, description: 'Faults on random scanners (seeded) within the backfilled history, each developing, failing and then repaired.' }),
        repairHours: Type.Number({ exclusiveMinimum: 0, default: 8, description: 'Hours from a backfilled failure until its repair.' }),
      },
      { default: {} },
    ),
  },
  { additionalProperties: false },
);

export type Config = Static<typeof ConfigSchema>;
