import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintToken } from '../src/auth/mint-token.js';
import { patternCovers } from '../src/auth/permissions.js';
import { TestClient, http, startTestServer, type TestServer } from './helpers.js';

const SECRET = 'org-isolation-test-secret-0123456789abcdef';

interface User {
  sub: string;
  org?: string;
  orgs?: string[];
  permissions: string[];
  /** What the user subscribes to. */
  pattern: string;
  /** Switches to this org between the two phases. */
  switchTo?: string;
}

const USERS: User[] = [
  { sub: 'ada', org: 'acme', orgs: ['acme', 'globex'], permissions: ['subscribe:*', 'history:*', 'publish:*'], pattern: '*', switchTo: 'globex' },
  { sub: 'bob', org: 'globex', permissions: ['subscribe:claude.*', 'history:claude.*'], pattern: 'claude.*' },
  { sub: 'cyd', org: 'initech', permissions: ['subscribe:*', 'history:*'], pattern: '*' },
  { sub: 'dee', permissions: ['subscribe:*', 'history:*'], pattern: '*' },
  { sub: 'eve', org: 'acme', permissions: ['admin'], pattern: '*' },
];

interface Published {
  seq: number;
  type: string;
  org?: string;
  category: string;
}

const TYPES = ['claude.session.started', 'repo.commit.created', 'test', 'agent_request', 'audit.note'];
const ORGS = ['acme', 'globex', 'initech', undefined];

/** The reference: may this user, in this org, see this event? */
function mayRead(user: User, org: string | undefined, verb: 'subscribe' | 'history', e: Published): boolean {
  const isAdmin = user.permissions.includes('admin');
  if (e.org !== undefined && e.org !== org) return false;
  if (e.category === 'audit' && !isAdmin) return false;
  if (!patternCovers(user.pattern, e.type) && user.pattern !== '*') return false;
  return isAdmin || user.permissions.some((p) => p.startsWith(`${verb}:`) && patternCovers(p.slice(verb.length + 1), e.type));
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ jwt: { secret: SECRET } });
});
afterAll(async () => {
  await server.close();
});

async function connect(user: User): Promise<TestClient> {
  const token = await mintToken({ secret: SECRET, sub: user.sub, org: user.org, orgs: user.orgs, permissions: user.permissions, ttlS: 600 });
  const c = await TestClient.connect(server.wsUrl, { token });
  await c.waitFor((m) => m.type === 'connected');
  return c;
}

async function historyOf(user: User, token: string, afterSeq: number): Promise<number[]> {
  const seqs: number[] = [];
  let cursor: string | null = null;
  do {
    const page = await http(server, 'GET', `/api/events/history?since=${afterSeq}&limit=1000${cursor ? `&cursor=${cursor}` : ''}`, undefined, { token });
    expect(page.status).toBe(200);
    seqs.push(...page.body.events.map((e: { seq: number }) => e.seq));
    cursor = page.body.next_cursor;
  } while (cursor);
  void user;
  return seqs.reverse();
}

const eventArb = fc.record({ type: fc.constantFrom(...TYPES), org: fc.constantFrom(...ORGS) });

describe('org isolation', () => {
  it('never lets an event reach a connection that may not see it, live, in history or in replay, across a context switch', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(eventArb, { minLength: 1, maxLength: 25 }), fc.array(eventArb, { minLength: 1, maxLength: 25 }), async (phase1, phase2) => {
        const startSeq = (await http(server, 'GET', '/api/events/history?limit=1')).body.events[0]?.seq ?? 0;
        const clients = await Promise.all(USERS.map(connect));
        await Promise.all(clients.map((c, i) => c.request('subscribe', { event_types: [USERS[i]!.pattern] })));
        const published: Array<Published & { phase: number }> = [];
        const publish = async (events: Array<{ type: string; org?: string }>, phase: number) => {
          const body = events.map((e) => (e.org === undefined ? { type: e.type } : { type: e.type, org: e.org }));
          const r = await http(server, 'POST', '/api/events', { events: body });
          expect(r.status).toBe(202);
          r.body.seqs.forEach((seq: number, i: number) => {
            const type = events[i]!.type;
            published.push({ seq, type, org: events[i]!.org, category: type.startsWith('audit.') ? 'audit' : type.split(/[._]/)[0]!, phase });
          });
        };
        await publish(phase1, 1);
        const marker1 = await http(server, 'POST', '/api/events', { type: 'marker' });
        await Promise.all(clients.map((c) => c.request('ping')));
        await new Promise((r) => setTimeout(r, 30));
        for (const [i, u] of USERS.entries()) {
          if (u.switchTo) expect(await clients[i]!.request('context_switch', { org: u.switchTo })).toMatchObject({ type: 'context_switched', from: u.org, to: u.switchTo, context_type: 'organization' });
        }
        await publish(phase2, 2);
        const last = (await http(server, 'POST', '/api/events', { type: 'marker' })).body.seqs[0];
        await new Promise((r) => setTimeout(r, 50));
        void marker1;

        for (const [i, u] of USERS.entries()) {
          const orgAt = (phase: number) => (phase === 2 && u.switchTo ? u.switchTo : u.org);
          const expected = published.filter((e) => mayRead(u, orgAt(e.phase), 'subscribe', e)).map((e) => e.seq);
          const got = clients[i]!.events().map((e) => e.seq as number).filter((s) => s > startSeq && s < last && published.some((p) => p.seq === s));
          expect(got, `live events of ${u.sub}`).toEqual(expected);
          clients[i]!.close();
        }
        // History and replay use the org in force now (after the switch).
        for (const u of USERS) {
          const org = u.switchTo ?? u.org;
          const token = await mintToken({ secret: SECRET, sub: u.sub, org, orgs: u.orgs, permissions: u.permissions, ttlS: 600 });
          const canHistoryAll = u.permissions.includes('admin') || u.permissions.includes('history:*');
          const wanted = published.filter((e) => mayRead(u, org, 'history', e) && (canHistoryAll || patternCovers(u.pattern, e.type))).map((e) => e.seq);
          if (canHistoryAll) {
            const seqs = (await historyOf(u, token, startSeq)).filter((s) => published.some((p) => p.seq === s));
            expect(seqs, `history of ${u.sub}`).toEqual(wanted);
          } else {
            const r = await http(server, 'GET', `/api/events/history?since=${startSeq}`, undefined, { token });
            expect(r.status, `history of ${u.sub} without history:*`).toBe(403);
          }
          const c = await TestClient.connect(server.wsUrl, { token });
          await c.waitFor((m) => m.type === 'connected');
          await c.request('subscribe', { event_types: [u.pattern], since: startSeq });
          await c.waitFor((m) => m.type === 'replayed');
          const replayed = c.events().map((e) => e.seq as number).filter((s) => published.some((p) => p.seq === s));
          expect(replayed, `replay of ${u.sub}`).toEqual(published.filter((e) => mayRead(u, org, 'subscribe', e)).map((e) => e.seq));
          c.close();
        }
      }),
      { numRuns: 8 },
    );
  });

  it('refuses a context switch to an org the token does not list', async () => {
    const c = await connect(USERS[1]!);
    expect(await c.request('context_switch', { org: 'acme' })).toMatchObject({ type: 'error', code: 'forbidden', details: { path: 'org' } });
    c.close();
  });

  it('refuses a publish into another org, and stamps the publisher org when none is given', async () => {
    const token = await mintToken({ secret: SECRET, sub: 'pub', org: 'acme', permissions: ['publish:*', 'history:*'], ttlS: 600 });
    const refused = await http(server, 'POST', '/api/events', { type: 'x.y', org: 'globex' }, { token });
    expect(refused.status).toBe(403);
    const ok = await http(server, 'POST', '/api/events', { type: 'x.y' }, { token });
    const stored = await http(server, 'GET', `/api/events/${ok.body.ids[0]}`, undefined, { token });
    expect(stored.body.org).toBe('acme');
  });

  it('refuses a non-admin publish into the audit trail', async () => {
    const token = await mintToken({ secret: SECRET, sub: 'pub', org: 'acme', permissions: ['publish:*'], ttlS: 600 });
    const r = await http(server, 'POST', '/api/events', { type: 'audit.login', data: { actor: 'root' } }, { token });
    expect(r.status).toBe(403);
    expect(r.body.error.message).toContain('audit');
  });

  it('hides another org event by id', async () => {
    const r = await http(server, 'POST', '/api/events', { type: 'secret.x', org: 'globex' });
    const token = await mintToken({ secret: SECRET, sub: 'cyd', org: 'initech', permissions: ['history:*'], ttlS: 600 });
    expect((await http(server, 'GET', `/api/events/${r.body.ids[0]}`, undefined, { token })).status).toBe(404);
  });
});
