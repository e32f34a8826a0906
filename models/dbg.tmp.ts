import { initBackend } from './src/backend.js';
import { StreamingAnomalyDetector } from './src/anomaly/streaming-detector.js';
await initBackend();
function signal(i: number, phase = 0): number { return 10 + 3 * Math.sin((2 * Math.PI * i) / 96 + phase) + 0.3 * Math.sin(i * 78.233); }
const det = new StreamingAnomalyDetector({ warmup: 300, maxSteps: 150, refitEvery: 0, calibrationSize: 500, statWindow: 200, dims: 3, stages: 'model' });
const rows: number[][] = []; const times: number[] = [];
for (let i=0;i<1100;i++){ const r=[signal(i), 2 * signal(i, 0.5), signal(i, 1) + (i >= 1000 ? 3 : 0)]; rows.push(r); times.push(i*300000); const o=det.update(r,i*300000); if (i>=995&&i<1012) console.log(i, o.score.toFixed(3), (det as any).forecaster.error(rows,times,i).toFixed(2), JSON.stringify((det as any).errorCal.snapshot())); }
