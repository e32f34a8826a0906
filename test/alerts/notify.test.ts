// Notifications to real receivers: a node:http server for the signed webhook, Slack and Teams formats and a
// receiver that fails twice; an in-process SMTP server (smtp-server) for email, read back with mailparser.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { Alert, AlertDetail } from '../../contracts/index.js';
import { freePort } from '../../lib/net.js';
import { eventually, type TestPlatform } from '../support/platform.js';
import { apiCall, Publisher, Receiver, rulesDir, startAlertPlatform } from './support.js';

const SECRET = 'test-hmac-key';
let p: TestPlatform;
let pub: Publisher;
let hooks: Receiver;
let smtp: SMTPServer;
const mails: ParsedMail[] = [];

before(async () => {
  hooks = await Receiver.start();
  hooks.status = (r, n) => (r.path === '/flaky' && n <= 2 ? 503 : 200);
  const smtpPort = await freePort();
  smtp = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
    onData(stream, _session, cb) { simpleParser(stream).then((m) => { mails.push(m); cb(); }, cb); },
  });
  await new Promise<void>((r) => smtp.listen(smtpPort, '127.0.0.1', () => r()));
  const rules = `
rules:
  - { id: helium, kind: threshold, title: Helium level low, metric: helium_level_pct, op: below, warning: 60, critical: 50, recover: 62, roles: [biomed] }
  - { id: coldhead, kind: threshold, title: Cold head warm, metric: coldhead_temp_k, op: above, warning: 4.8, roles: [biomed] }
channels:
  - { id: hook, type: webhook, url: "${hooks.url}/hook", secret: ${SECRET} }
  - { id: flaky, type: webhook, url: "${hooks.url}/flaky" }
  - { id: slack, type: slack, url: "${hooks.url}/slack" }
  - { id: teams, type: teams, url: "${hooks.url}/teams" }
  - { id: mail, type: email, to: [biomed@hospital.test], from: gantry@hospital.test, smtp: { host: 127.0.0.1, port: ${smtpPort} } }
routes:
  - { id: biomed, match: { role: [biomed], site: [central] }, channels: [hook, mail, slack, teams], groupWait: 100 }
  - { id: flaky-route, match: { severity: [critical] }, channels: [flaky] }
`;
  p = await startAlertPlatform(rulesDir({ 'n.yaml': rules }));
  pub = await Publisher.connect(p.mqttUrl);
});
after(async () => {
  await pub?.close();
  await p?.close();
  await hooks?.close();
  await new Promise<void>((r) => smtp ? smtp.close(() => r()) : r());
});

function verify(body: string, ts: string, sig: string): boolean {
  const want = Buffer.from(`sha256=${createHmac('sha256', SECRET).update(`${ts}.${body}`).digest('hex')}`);
  return want.length === Buffer.byteLength(sig) && timingSafeEqual(want, Buffer.from(sig));
}

test('one signed webhook, one email, Slack and Teams messages per scanner group, with what/where/how bad/since/link', async () => {
  await pub.send('central/mri/mri-a', { helium_level_pct: 58, coldhead_temp_k: 5.2 });
  await eventually('webhook', async () => hooks.on('/hook').length, (n) => n >= 1);
  await eventually('email', async () => mails.length, (n) => n >= 1);
  await eventually('slack and teams', async () => hooks.on('/slack').length + hooks.on('/teams').length, (n) => n >= 2);
  const [req] = hooks.on('/hook');
  assert.ok(req);
  assert.ok(verify(req.body, String(req.headers['x-gantry-timestamp']), String(req.headers['x-gantry-signature'])), 'HMAC signature verifies');
  assert.ok(!verify(req.body.replace('58', '59'), String(req.headers['x-gantry-timestamp']), String(req.headers['x-gantry-signature'])), 'a changed body does not');
  const body = req.json as { reason: string; alerts: Alert[]; text: string };
  assert.equal(body.reason, 'firing');
  assert.deepEqual(body.alerts.map((a) => a.id).sort(), ['coldhead:mri-a', 'helium:mri-a'], 'both alerts of the scanner in one notification');

  const mail = mails[0] as ParsedMail;
  assert.equal(mails.length, 1, 'grouped into one email');
  assert.match(mail.subject ?? '', /FIRING: .* on mri-a \(central\) \(\+1 more\)/);
  const text = mail.text ?? '';
  assert.match(text, /What: Helium level low 58 % is below 60 % on mri-a/);
  assert.match(text, /Where: site central, MRI scanner mri-a/);
  assert.match(text, /How bad: warning \(value 58 %, limit 60 %\)/);
  assert.match(text, /Since: \d{4}-\d\d-\d\dT/);
  assert.match(text, /Dashboard: http:\/\/gantry\.test\/alerts\?alert=helium%3Amri-a/);
  assert.match((hooks.on('/slack')[0]?.json as { text: string }).text, /\*\[Gantry WARNING\] FIRING/);
  const card = hooks.on('/teams')[0]?.json as { attachments: { contentType: string; content: { actions: { url: string }[] } }[] };
  assert.equal(card.attachments[0]?.contentType, 'application/vnd.microsoft.card.adaptive');
  assert.match(card.attachments[0]?.content.actions[0]?.url ?? '', /^http:\/\/gantry\.test\/alerts\?alert=/);
});

test('a receiver that fails twice gets the notification on the third attempt; the delivery log shows all three', async () => {
  await pub.send('north/mri/mri-b', { helium_level_pct: 45 });
  await eventually('third attempt succeeds', async () => hooks.on('/flaky').length, (n) => n >= 3);
  const detail = await eventually('delivery log', async () => (await (await apiCall(p, `/api/alerts/${encodeURIComponent('helium:mri-b')}`)).json()) as AlertDetail,
    (d) => d.deliveries.filter((x) => x.channelId === 'flaky').length >= 3);
  assert.deepEqual(detail.deliveries.filter((x) => x.channelId === 'flaky').map((d) => [d.attempt, d.ok, d.detail]),
    [[1, false, 'HTTP 503'], [2, false, 'HTTP 503'], [3, true, 'HTTP 200']]);
  assert.equal(hooks.about('/hook', 'helium:mri-b').length, 0, 'site north is not routed to the central biomed route');
});

test('resolution is notified once; a sample repeating the firing value is deduplicated', async () => {
  await pub.send('central/mri/mri-a', { helium_level_pct: 57, coldhead_temp_k: 5.1 });
  await pub.send('central/mri/mri-a', { helium_level_pct: 63, coldhead_temp_k: 4.0 });
  await eventually('resolved webhook', async () => hooks.about('/hook', 'helium:mri-a').map((b) => b.reason), (r) => r.includes('resolved'));
  await eventually('resolved email', async () => mails.length, (n) => n >= 2);
  assert.deepEqual(hooks.about('/hook', 'helium:mri-a').map((b) => b.reason), ['firing', 'resolved']);
  assert.match(mails[1]?.subject ?? '', /RESOLVED/);
});
