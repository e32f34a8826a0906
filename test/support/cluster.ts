// The shared engines of a Gantry cluster test: one private InfluxDB, Mosquitto and Redis, and a look at who
// holds the leader lease. The Gantry instances themselves are child processes (scripts/bench/cluster-instances.ts).
import mqtt from 'mqtt';
import { startPrivateInfluxd, type PrivateInfluxd } from '../../server/services/private-influxd.js';
import { startPrivateMosquitto, type PrivateMosquitto } from '../../server/services/private-mosquitto.js';
import { startPrivateRedis, type PrivateRedis } from '../../server/services/private-redis.js';
import { leaderOf, type Instance, type Shared } from '../../scripts/bench/cluster-instances.js';
import { tempDir } from './platform.js';

export interface ClusterServices {
  influxd: PrivateInfluxd;
  mosq: PrivateMosquitto;
  redis: PrivateRedis;
  shared: Shared;
  /** Instances started by the test; stop() ends them first. */
  instances: Instance[];
  /** Holder of the leader lease ('' when none). */
  leader(): Promise<string>;
  stop(): Promise<void>;
}

export async function startClusterServices(name: string): Promise<ClusterServices> {
  const [influxd, mosq, redis] = await Promise.all([
    startPrivateInfluxd({ dataDir: tempDir(`${name}-influx`) }), startPrivateMosquitto({ dir: tempDir(`${name}-mosq`) }), startPrivateRedis({ dir: tempDir(`${name}-redis`) }),
  ]);
  const instances: Instance[] = [];
  return {
    influxd, mosq, redis, instances,
    shared: { mqttUrl: mosq.url, redisUrl: redis.url, influxUrl: influxd.url },
    leader: () => leaderOf(redis.url),
    stop: async () => {
      for (const i of instances) {
        // A test may have left one stopped (SIGSTOP): it could not act on SIGTERM.
        if (i.child.exitCode === null && i.child.signalCode === null) i.child.kill('SIGCONT');
        await i.kill('SIGTERM');
      }
      await Promise.all([mosq.stop(), redis.stop(), influxd.stop()]);
    },
  };
}

/** Publishes `count` CT readings 200 ms apart with the tube at 90 °C (over the catalog's limit). */
export async function publishHot(mqttUrl: string, scanner: string, count: number): Promise<void> {
  const c = await mqtt.connectAsync(mqttUrl, { clientId: `${scanner}-${process.pid}` });
  for (let i = 0; i < count; i++) {
    await c.publishAsync(`gantry/v1/ha/ct/${scanner}/telemetry`, JSON.stringify({ samples: [{ ts: Date.now(), metrics: { tube_temp_c: 90 } }] }), { qos: 1 });
    await new Promise((r) => setTimeout(r, 200));
  }
  await c.endAsync();
}
