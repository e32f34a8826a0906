// What a notification says: what, where, how bad, since when, what the model predicts, and a link to the
// dashboard. One text is rendered per group; channels wrap it in their own format.
import type { Alert, DeliveryRecord } from '../../contracts/alerts.js';
import { formatDuration as duration } from '../../contracts/units.js';

export interface NotificationContent { subject: string; text: string; reason: DeliveryRecord['reason']; alerts: Alert[]; links: string[] }


function stateWord(a: Alert, reason: DeliveryRecord['reason']): string {
  if (reason === 'escalation') return 'ESCALATED (unacknowledged)';
  if (reason === 'reminder') return 'STILL FIRING (unacknowledged)';
  return a.state === 'resolved' ? 'RESOLVED' : 'FIRING';
}

export function alertLink(dashboardUrl: string, a: Alert): string {
  // The dashboard's alert inbox opens the alert named by ?alert=.
  return `${dashboardUrl.replace(/\/$/, '')}/alerts?alert=${encodeURIComponent(a.id)}`;
}

export function renderAlert(a: Alert, reason: DeliveryRecord['reason'], dashboardUrl: string, now: number): string {
  const since = a.firedAt ?? a.startsAt;
  const lines = [
    `[${a.severity.toUpperCase()}] ${stateWord(a, reason)}: ${a.title ?? a.ruleId}`,
    `What: ${a.message}`,
    `Where: site ${a.site}, ${a.modality === 'pacs' ? 'PACS' : `${a.modality.toUpperCase()} scanner`} ${a.scannerId}`,
    `How bad: ${a.severity} (value ${round(a.value)}${a.unit ? ` ${a.unit}` : ''}, limit ${round(a.threshold)}${a.unit ? ` ${a.unit}` : ''})`,
    a.state === 'resolved' && a.endsAt
      ? `Since: ${new Date(since).toISOString()}, resolved ${new Date(a.endsAt).toISOString()} after ${duration(a.endsAt - since)}`
      : `Since: ${new Date(since).toISOString()} (${duration(now - since)})`,
  ];
  if (a.prediction) {
    const p = a.prediction;
    const eta = p.etaMs === null ? 'no crossing forecast' : `limit reached in ${duration(p.etaMs)}`;
    const band = p.low !== undefined && p.high !== undefined ? ` (interval ${duration(p.low)} – ${duration(p.high)})` : '';
    lines.push(`Forecast: ${p.metric}: ${eta}${band}`);
  }
  if (a.ackedBy) lines.push(`Acknowledged by ${a.ackedBy}${a.ackComment ? `: ${a.ackComment}` : ''}`);
  lines.push(`Dashboard: ${alertLink(dashboardUrl, a)}`);
  return lines.join('\n');
}

function round(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(Math.abs(v) >= 10 ? 1 : 2);
}

export function renderGroup(alerts: Alert[], reason: DeliveryRecord['reason'], dashboardUrl: string, now: number): NotificationContent {
  const first = alerts[0] as Alert;
  const worst = alerts.some((a) => a.severity === 'critical') ? 'critical' : first.severity;
  const more = alerts.length > 1 ? ` (+${alerts.length - 1} more)` : '';
  const subject = `[Gantry ${worst.toUpperCase()}] ${stateWord(first, reason)}: ${first.title ?? first.ruleId} on ${first.scannerId} (${first.site})${more}`;
  const text = alerts.map((a) => renderAlert(a, reason, dashboardUrl, now)).join('\n\n');
  return { subject, text, reason, alerts, links: alerts.map((a) => alertLink(dashboardUrl, a)) };
}
