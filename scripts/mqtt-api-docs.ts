// npm run docs:mqtt: regenerates docs/mqtt-api.md from the contracts.
import { writeFileSync } from 'node:fs';
import { renderMqttApiDoc } from '../server/telemetry/mqtt-api-doc.js';
import { parseCli } from '../lib/cli-args.js';

parseCli({ command: 'npm run docs:mqtt --', summary: 'Writes docs/mqtt-api.md from the contracts (topics, payload schemas, limits, reject reasons, metric catalog).', options: {} });

writeFileSync('docs/mqtt-api.md', renderMqttApiDoc());
process.stdout.write('wrote docs/mqtt-api.md\n');
