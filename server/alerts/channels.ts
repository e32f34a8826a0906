// Delivery to one channel: generic webhook (JSON, HMAC-SHA256 signed), Slack and Microsoft Teams incoming
// webhooks, email over SMTP. One attempt per call; the notifier retries with back-off. URLs and
// credentials are secrets and never appear in results or logs.
import { createHmac } from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Channel } from '../../contracts/alert-rules.js';
import type { NotificationContent } from './templates.js';

export interface AttemptResult { ok: boolean; detail: string }

export const SIGNATURE_HEADER = 'x-gantry-signature';
export const TIMESTAMP_HEADER = 'x-gantry-timestamp';

/** The signature a receiver recomputes: HMAC-SHA256 over "<timestamp>.<body>", hex. */
export function signBody(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

async function post(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<AttemptResult> {
  try {
    const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers }, signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer().catch(() => undefined);
    return { ok: res.status >= 200 && res.status < 300, detail: `HTTP ${res.status}` };
  } catch (err) {
    return { ok: false, detail: (err as Error).name === 'TimeoutError' ? 'timeout' : `connection failed: ${(err as Error & { cause?: { code?: string } }).cause?.code ?? (err as Error).message}` };
  }
}

export class ChannelSender {
  private readonly mailers = new Map<string, Transporter>();

  constructor(private readonly timeoutMs = 10_000) {}

  async send(channel: Channel, n: NotificationContent, routeId: string): Promise<AttemptResult> {
    switch (channel.type) {
      case 'webhook': {
        const body = JSON.stringify({ version: 1, reason: n.reason, route: routeId, subject: n.subject, text: n.text, alerts: n.alerts, links: n.links });
        const ts = String(Date.now());
        const headers: Record<string, string> = { [TIMESTAMP_HEADER]: ts };
        if (channel.secret) headers[SIGNATURE_HEADER] = signBody(channel.secret, ts, body);
        return post(channel.url ?? '', body, headers, this.timeoutMs);
      }
      case 'slack':
        return post(channel.url ?? '', JSON.stringify({ text: `*${n.subject}*\n${n.text}` }), {}, this.timeoutMs);
      case 'teams': {
        const card = {
          type: 'message',
          attachments: [{
            contentType: 'application/vnd.microsoft.card.adaptive',
            content: {
              $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', type: 'AdaptiveCard', version: '1.4',
              body: [
                { type: 'TextBlock', text: n.subject, weight: 'Bolder', wrap: true },
                { type: 'TextBlock', text: n.text, wrap: true },
              ],
              actions: n.links.slice(0, 5).map((url) => ({ type: 'Action.OpenUrl', title: 'Open in Gantry', url })),
            },
          }],
        };
        return post(channel.url ?? '', JSON.stringify(card), {}, this.timeoutMs);
      }
      case 'email': return this.mail(channel, n);
    }
  }

  close(): void {
    for (const m of this.mailers.values()) m.close();
    this.mailers.clear();
  }

  private async mail(channel: Channel, n: NotificationContent): Promise<AttemptResult> {
    if (!channel.smtp || !channel.to) return { ok: false, detail: 'email channel needs smtp and to' };
    let mailer = this.mailers.get(channel.id);
    if (!mailer) {
      const s = channel.smtp;
      mailer = nodemailer.createTransport({
        host: s.host, port: s.port, secure: s.secure ?? false,
        ...(s.user ? { auth: { user: s.user, pass: s.pass ?? '' } } : {}),
        connectionTimeout: this.timeoutMs, greetingTimeout: this.timeoutMs, socketTimeout: this.timeoutMs,
      });
      this.mailers.set(channel.id, mailer);
    }
    try {
      const info = await mailer.sendMail({ from: channel.from ?? 'gantry@localhost', to: channel.to, subject: n.subject, text: n.text });
      return { ok: true, detail: String(info.response ?? 'sent') };
    } catch (err) {
      return { ok: false, detail: `SMTP: ${(err as Error).message.split('\n')[0]}` };
    }
  }
}
