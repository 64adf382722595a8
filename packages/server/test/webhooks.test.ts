import { afterEach, describe, expect, it } from 'vitest';
import { verifySignature } from '../src/webhooks/sign-payload.js';
import { type TestServer, eventually, http, startTestServer } from './helpers.js';
import { WebhookReceiver } from './webhook-receiver.js';

const FAST = { allowPrivate: true, retryBaseMs: 20, retryMaxMs: 80, pollIntervalMs: 50, gapGraceMs: 200 };
const SECRET = 'whsec_test_secret_0123456789';

describe('webhooks', () => {
  let server: TestServer | undefined;
  const receivers: WebhookReceiver[] = [];

  async function receiver(answer?: ConstructorParameters<typeof Object>[0]) {
    const r = await WebhookReceiver.start(answer as never);
    receivers.push(r);
    return r;
  }

  async function createWebhook(body: Record<string, unknown>) {
    const res = await http(server!, 'POST', '/api/webhooks', { secret: SECRET, ...body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string; secret: string };
  }

  const publish = (events: unknown[]) => http(server!, 'POST', '/api/events', { events });

  afterEach(async () => {
    await server?.close();
    server = undefined;
    for (const r of receivers.splice(0)) await r.close();
  });

  describe('delivery', () => {
    it('POSTs every matching event once, in seq order, signed, and skips the rest', async () => {
      server = await startTestServer({ webhookDelivery: FAST });
      const r = await receiver();
      await createWebhook({ url: r.url, event_types: ['repo.*'], filters: { severity: ['error', 'critical'] }, org: 'acme' });
      const res = await publish([
        { type: 'repo.push', severity: 'error', data: { n: 1 } },
        { type: 'repo.push', severity: 'info', data: { n: 2 } },
        { type: 'other.thing', severity: 'error', data: { n: 3 } },
        { type: 'repo.pr.opened', severity: 'critical', org: 'acme', data: { n: 4 } },
        { type: 'repo.push', severity: 'error', org: 'globex', data: { n: 5 } },
        { type: 'repo.push', severity: 'error', data: { n: 6 } },
      ]);
      const seqs = res.body.seqs as number[];
      await eventually(() => r.accepted.length === 3);
      expect(r.acceptedSeqs()).toEqual([seqs[0], seqs[3], seqs[5]]);
      expect(r.accepted.map((a) => (a.json.data as { n: number }).n)).toEqual([1, 4, 6]);
      expect(r.allSigned(SECRET)).toBe(true);
      const first = r.accepted[0]!;
      expect(first.headers['content-type']).toBe('application/json');
      expect(first.json).toMatchObject({ type: 'repo.push', seq: seqs[0], severity: 'error' });
      expect(verifySignature('another secret, not this one', first.body, String(first.headers['herald-signature']), Math.floor(Date.now() / 1000))).toBe(false);
      // Nothing more arrives later.
      await publish([{ type: 'repo.push', severity: 'error', data: { n: 7 } }]);
      await eventually(() => r.accepted.length === 4);
      expect(r.requests).toHaveLength(4);
    });

    it('sends CloudEvents 1.0 structured bodies when asked', async () => {
      server = await startTestServer({ webhookDelivery: FAST });
      const r = await receiver();
      await createWebhook({ url: r.url, event_types: ['*'], format: 'cloudevents' });
      const res = await publish([{ type: 'agent_request', source: 'agent-1', correlation_id: 'req-9', data: { q: 'hi' } }]);
      await eventually(() => r.accepted.length === 1);
      const got = r.accepted[0]!;
      expect(got.headers['content-type']).toBe('application/cloudevents+json');
      expect(got.json).toMatchObject({
        specversion: '1.0',
        id: res.body.ids[0],
        type: 'agent_request',
        source: 'agent-1',
        datacontenttype: 'application/json',
        seq: res.body.seqs[0],
        correlationid: 'req-9',
        data: { q: 'hi' },
      });
    });

    it('retries 500s and timeouts, holding later events back, then delivers each once in order', async () => {
      server = await startTestServer({ webhookDelivery: FAST });
      // Event n=2 fails twice with 500, n=3 hangs past the timeout once; the rest succeed.
      const failures = new Map<number, Array<number | 'hang'>>([
        [2, [500, 503]],
        [3, ['hang']],
      ]);
      const r = await receiver(({ json }: { json: { data: { n: number } } }) => failures.get(json.data.n)?.shift() ?? 200);
      const { id } = await createWebhook({ url: r.url, event_types: ['job.*'], timeoutMs: 300 });
      const res = await publish([1, 2, 3, 4].map((n) => ({ type: 'job.done', data: { n } })));
      await eventually(() => r.accepted.length === 4, 10_000);
      expect(r.acceptedSeqs()).toEqual(res.body.seqs);
      expect(r.requests.map((q) => (q.json.data as { n: number }).n)).toEqual([1, 2, 2, 2, 3, 3, 4]);
      expect(r.requests.map((q) => Number(q.headers['herald-delivery-attempt']))).toEqual([1, 1, 2, 3, 1, 2, 1]);
      expect(r.allSigned(SECRET)).toBe(true);
      const log = await http(server, 'GET', `/api/webhooks/${id}/deliveries`);
      expect(log.status).toBe(200);
      expect(log.body.deliveries.map((d: { event_seq: number; status: string; attempts: number; response_code: number }) => [d.event_seq, d.status, d.attempts, d.response_code])).toEqual([
        [res.body.seqs[3], 'delivered', 1, 200],
        [res.body.seqs[2], 'delivered', 2, 200],
        [res.body.seqs[1], 'delivered', 3, 200],
        [res.body.seqs[0], 'delivered', 1, 200],
      ]);
      expect(log.body.deliveries[0].latency_ms).toBeGreaterThanOrEqual(0);
    });

    it('dead-letters after maxAttempts with a webhook.failed event, moves on, and redelivers on demand', async () => {
      server = await startTestServer({ webhookDelivery: FAST, apiKeys: ['reader:reader-key-0123456789abcdef:subscribe:*,history:*'] });
      let isDown = true;
      const r = await receiver(({ json }: { json: { data: { n: number } } }) => (isDown && json.data.n === 1 ? 500 : 200));
      const { id } = await createWebhook({ url: r.url, event_types: ['job.*'], maxAttempts: 3 });
      const res = await publish([1, 2].map((n) => ({ type: 'job.done', data: { n } })));
      await eventually(() => r.accepted.length === 1, 10_000);
      expect(r.acceptedSeqs()).toEqual([res.body.seqs[1]]);
      expect(r.requests).toHaveLength(4);

      const dead = await http(server, 'GET', `/api/webhooks/${id}/deliveries?status=dead`);
      expect(dead.body.deliveries).toEqual([expect.objectContaining({ event_seq: res.body.seqs[0], status: 'dead', attempts: 3, response_code: 500, error: 'HTTP 500: refused with 500' })]);
      const failed = await eventually(async () => {
        const page = await http(server!, 'GET', '/api/events/history?types=webhook.failed');
        return page.body.events.length === 1 && page.body.events[0];
      });
      expect(failed).toMatchObject({ type: 'webhook.failed', severity: 'error', data: { webhook_id: id, event_seq: res.body.seqs[0], event_id: res.body.ids[0], attempts: 3 } });
      // It names the webhook's URL: admins only, like the audit trail.
      const asReader = await http(server, 'GET', '/api/events/history?types=webhook.failed', undefined, { token: 'reader-key-0123456789abcdef' });
      expect(asReader.status).toBe(200);
      expect(asReader.body.events).toEqual([]);

      isDown = false;
      const again = await http(server, 'POST', `/api/webhooks/${id}/deliveries/${res.body.seqs[0]}/redeliver`);
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ status: 'delivered', attempts: 4, response_code: 200 });
      expect(r.acceptedSeqs()).toEqual([res.body.seqs[1], res.body.seqs[0]]);
      expect((await http(server, 'GET', `/api/webhooks/${id}/deliveries?status=dead`)).body.deliveries).toEqual([]);
    });

    it('disables a webhook whose receiver answers 410 Gone, with an event, and resumes from that event', async () => {
      server = await startTestServer({ webhookDelivery: FAST });
      let isGone = true;
      const r = await receiver(() => (isGone ? 410 : 200));
      const { id } = await createWebhook({ url: r.url, event_types: ['job.*'] });
      const res = await publish([1, 2].map((n) => ({ type: 'job.done', data: { n } })));
      const disabled = await eventually(async () => {
        const page = await http(server!, 'GET', '/api/events/history?types=webhook.disabled');
        return page.body.events[0];
      });
      expect(disabled.data).toMatchObject({ webhook_id: id, event_seq: res.body.seqs[0] });
      expect((await http(server, 'GET', `/api/webhooks/${id}`)).body).toMatchObject({ status: 'disabled', status_reason: expect.stringContaining('410') });
      expect(r.requests).toHaveLength(1);

      isGone = false;
      expect((await http(server, 'POST', `/api/webhooks/${id}/resume`)).body.status).toBe('active');
      await eventually(() => r.accepted.length === 2);
      expect(r.acceptedSeqs()).toEqual(res.body.seqs);
    });

    it('keeps to its backoff however many new events arrive meanwhile, holding them back', async () => {
      server = await startTestServer({ webhookDelivery: { ...FAST, retryBaseMs: 60_000, retryMaxMs: 60_000 } });
      const r = await receiver(() => 500);
      const { id } = await createWebhook({ url: r.url, event_types: ['job.*'] });
      const witness = await receiver();
      await createWebhook({ url: witness.url, event_types: ['job.*'] });
      await publish([{ type: 'job.done', data: { n: 0 } }]);
      await eventually(() => r.requests.length === 1 && witness.accepted.length === 1);
      for (let n = 1; n <= 20; n++) await publish([{ type: 'job.done', data: { n } }]);
      // The witness has seen every event, so the failing webhook was told of each of them too.
      await eventually(() => witness.accepted.length === 21);
      await eventually(async () => (await http(server!, 'GET', `/api/webhooks/${id}/deliveries`)).body.deliveries[0]?.status === 'pending');
      expect(r.requests).toHaveLength(1);
      const log = await http(server, 'GET', `/api/webhooks/${id}/deliveries`);
      expect(log.body.deliveries).toEqual([expect.objectContaining({ status: 'pending', attempts: 1, response_code: 500 })]);
    });

    it('does not count an attempt that a graceful stop cut short, and sends that event first after the restart', async () => {
      server = await startTestServer({ webhookDelivery: FAST });
      const script: Array<number | 'hang'> = ['hang'];
      const r = await receiver(() => script.shift() ?? 200);
      const { id } = await createWebhook({ url: r.url, event_types: ['job.*'], timeoutMs: 60_000 });
      const res = await publish([1, 2].map((n) => ({ type: 'job.done', data: { n } })));
      await eventually(() => r.requests.length === 1);
      const { dataDir } = server;
      await server.close({ keepData: true });
      server = await startTestServer({ webhookDelivery: FAST, dataDir });
      await eventually(() => r.accepted.length === 2);
      expect(r.acceptedSeqs()).toEqual(res.body.seqs);
      expect(r.requests.map((q) => q.headers['herald-delivery-attempt'])).toEqual(['1', '1', '1']);
      const log = await http(server, 'GET', `/api/webhooks/${id}/deliveries`);
      expect(log.body.deliveries.map((d: { attempts: number }) => d.attempts)).toEqual([1, 1]);
    });

    it('holds events while paused and delivers them all after resume', async () => {
      server = await startTestServer({ webhookDelivery: FAST });
      const r = await receiver();
      const { id } = await createWebhook({ url: r.url, event_types: ['job.*'] });
      expect((await http(server, 'POST', `/api/webhooks/${id}/pause`)).body).toMatchObject({ status: 'paused' });
      const res = await publish([1, 2, 3].map((n) => ({ type: 'job.done', data: { n } })));
      await publish([{ type: 'job.done', data: { n: 4 } }]);
      // A later webhook on the same server proves the log was read meanwhile.
      const witness = await receiver();
      await createWebhook({ url: witness.url, event_types: ['job.*'] });
      const last = await publish([{ type: 'job.done', data: { n: 5 } }]);
      await eventually(() => witness.accepted.length === 1);
      expect(r.requests).toHaveLength(0);
      await http(server, 'POST', `/api/webhooks/${id}/resume`);
      await eventually(() => r.accepted.length === 5);
      expect(r.acceptedSeqs()).toEqual([...res.body.seqs, res.body.seqs[2] + 1, last.body.seqs[0]]);
    });
  });

  describe('API', () => {
    it('refuses private addresses unless allowed, naming the setting', async () => {
      server = await startTestServer({ webhookDelivery: { ...FAST, allowPrivate: false } });
      for (const url of ['http://127.0.0.1:9/x', 'http://[::1]/x', 'http://169.254.169.254/latest', 'http://[::ffff:10.0.0.1]/', 'http://localhost:8080/']) {
        const res = await http(server, 'POST', '/api/webhooks', { url, event_types: ['*'] });
        expect(res.status, url).toBe(400);
        expect(res.body.error).toMatchObject({ code: 'invalid_params', details: { path: 'url' } });
        expect(res.body.error.message).toContain('HERALD_WEBHOOKS_ALLOW_PRIVATE=true');
      }
    });

    it('rejects malformed webhooks with the field named, and non-admins with forbidden', async () => {
      server = await startTestServer({ webhookDelivery: FAST, apiKeys: ['svc:svc-key-0123456789abcdef:publish:*'] });
      const bad = await http(server, 'POST', '/api/webhooks', { url: 'ftp://x', event_types: [] });
      expect(bad.status).toBe(400);
      expect(bad.body.error.details.problems.map((p: { path: string }) => p.path).sort()).toEqual(['event_types', 'url']);
      const format = await http(server, 'POST', '/api/webhooks', { url: 'https://a.example/', event_types: ['*'], format: 'xml' });
      expect(format.body.error.details.path).toBe('format');
      expect((await http(server, 'GET', '/api/webhooks', undefined, { token: 'svc-key-0123456789abcdef' })).status).toBe(403);
      expect((await http(server, 'GET', '/api/webhooks/wh_nope')).status).toBe(404);
      expect((await http(server, 'POST', '/api/webhooks/wh_nope/deliveries/abc/redeliver')).body.error.details.path).toBe('seq');
    });

    it('keeps API webhooks across a restart, generates a secret shown once, and deletes them', async () => {
      server = await startTestServer({ webhookDelivery: FAST });
      const r = await receiver();
      const created = await http(server, 'POST', '/api/webhooks', { url: r.url, event_types: ['job.*'], description: 'jobs' });
      expect(created.body.secret).toMatch(/^whsec_/);
      const { dataDir } = server;
      await server.close({ keepData: true });
      server = await startTestServer({ webhookDelivery: FAST, dataDir });
      const listed = await http(server, 'GET', '/api/webhooks');
      expect(listed.body.webhooks).toEqual([expect.objectContaining({ id: created.body.id, has_secret: true, origin: 'api', status: 'active', description: 'jobs' })]);
      expect(JSON.stringify(listed.body)).not.toContain(created.body.secret);
      await publish([{ type: 'job.done', data: {} }]);
      await eventually(() => r.accepted.length === 1);
      expect(r.allSigned(created.body.secret)).toBe(true);
      expect((await http(server, 'DELETE', `/api/webhooks/${created.body.id}`)).status).toBe(204);
      expect((await http(server, 'GET', '/api/webhooks')).body.webhooks).toEqual([]);
    });

    it('describes every webhook route in the OpenAPI document', async () => {
      server = await startTestServer({ webhookDelivery: FAST });
      const spec = await http(server, 'GET', '/openapi.json', undefined, { token: null });
      expect(Object.keys(spec.body.paths)).toEqual(
        expect.arrayContaining([
          '/api/webhooks',
          '/api/webhooks/{id}',
          '/api/webhooks/{id}/pause',
          '/api/webhooks/{id}/resume',
          '/api/webhooks/{id}/deliveries',
          '/api/webhooks/{id}/deliveries/{seq}/redeliver',
        ]),
      );
      expect(spec.body.paths['/api/webhooks'].post.requestBody.content['application/json'].schema.properties).toHaveProperty('event_types');
    });

    it('deletes a webhook without waiting for its attempt in flight', async () => {
      server = await startTestServer({ webhookDelivery: FAST });
      const r = await receiver(() => 'hang');
      const { id } = await createWebhook({ url: r.url, event_types: ['job.*'], timeoutMs: 60_000 });
      await publish([{ type: 'job.done', data: {} }]);
      await eventually(() => r.hangingCount === 1);
      expect((await http(server, 'DELETE', `/api/webhooks/${id}`)).status).toBe(204);
      // Answered while the receiver still holds the request.
      expect(r.hangingCount).toBe(1);
      expect((await http(server, 'GET', `/api/webhooks/${id}`)).status).toBe(404);
    });

    it('runs config-file webhooks, which the API lists but will not delete', async () => {
      const r = await receiver();
      server = await startTestServer({ webhookDelivery: FAST, webhooks: [{ url: r.url, event_types: ['job.*'], secret: SECRET }] });
      const listed = (await http(server, 'GET', '/api/webhooks')).body.webhooks;
      expect(listed).toEqual([expect.objectContaining({ origin: 'config', format: 'herald', maxAttempts: 8, timeoutMs: 10_000 })]);
      await publish([{ type: 'job.done', data: {} }]);
      await eventually(() => r.accepted.length === 1);
      expect(r.allSigned(SECRET)).toBe(true);
      expect((await http(server, 'DELETE', `/api/webhooks/${listed[0].id}`)).body.error.message).toContain('config file');
    });
  });
});
