// Topic layout of the MQTT API. Kept beside the payload schemas so publishers (simulator, gateways, docs)
// and the collector cannot disagree on it.
import type { Modality } from './common.js';
import { MODALITIES, SLUG_RE } from './common.js';

export const TOPIC_ROOT = 'gantry/v1';
export type ScannerChannel = 'telemetry' | 'status' | 'event';

export interface ScannerTopic {
  site: string;
  modality: Modality;
  scannerId: string;
  channel: ScannerChannel;
}

const CHANNELS: readonly ScannerChannel[] = ['telemetry', 'status', 'event'];

export function scannerTopic(t: Omit<ScannerTopic, 'channel'>, channel: ScannerChannel): string {
  return `${TOPIC_ROOT}/${t.site}/${t.modality}/${t.scannerId}/${channel}`;
}

/** Parses a scanner topic; returns a reason string instead of throwing so callers can count rejects. */
export function parseScannerTopic(topic: string): ScannerTopic | { error: string } {
  const parts = topic.split('/');
  if (parts.length !== 6 || `${parts[0]}/${parts[1]}` !== TOPIC_ROOT) {
    return { error: `topic must be ${TOPIC_ROOT}/{site}/{modality}/{scannerId}/{channel}` };
  }
  const [, , site, modality, scannerId, channel] = parts as [string, string, string, string, string, string];
  if (!SLUG_RE.test(site)) return { error: `site "${site}" is not a lowercase id` };
  if (!(MODALITIES as readonly string[]).includes(modality)) return { error: `modality "${modality}" is not one of ${MODALITIES.join(', ')}` };
  if (!SLUG_RE.test(scannerId)) return { error: `scanner id "${scannerId}" is not a lowercase id` };
  if (!(CHANNELS as readonly string[]).includes(channel)) return { error: `channel "${channel}" is not one of ${CHANNELS.join(', ')}` };
  return { site, modality: modality as Modality, scannerId, channel: channel as ScannerChannel };
}

/** MQTT filter match: + is one level, # the rest (including none). */
export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split('/'), t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length) return false;
    if (f[i] !== '+' && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}
