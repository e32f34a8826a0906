// npm run docs:mqtt: regenerates docs/mqtt-api.md from the contracts.
import { writeFileSync } from 'node:fs';
import { renderMqttApiDoc } from '../server/telemetry/mqtt-api-doc.js';

writeFileSync('docs/mqtt-api.md', renderMqttApiDoc());
process.stdout.write('wrote docs/mqtt-api.md\n');
