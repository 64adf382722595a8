import { describe, expect, it } from 'vitest';
import { checkWebhookHost, isPrivateAddress } from './address-guard.js';

describe('isPrivateAddress', () => {
  it.each([
    '127.0.0.1', '127.255.255.254', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '0.0.0.0', '100.64.0.1',
    '224.0.0.1', '255.255.255.255', '::', '::1', 'fc00::1', 'fd12:3456::1', 'fe80::1', 'ff02::1',
    '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '::ffff:a9fe:a9fe', '64:ff9b::10.0.0.1', '::127.0.0.1', 'not an address',
  ])('refuses %s', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '192.169.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '2001:db8::1'])('allows %s', (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });
});

describe('checkWebhookHost', () => {
  const lookup = (answers: Record<string, string[]>) => async (host: string) => {
    const found = answers[host];
    if (!found) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
    return found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

  it('accepts a name whose every address is public', async () => {
    expect(await checkWebhookHost('hooks.example', lookup({ 'hooks.example': ['93.184.216.34', '2606:2800:220:1::1'] }))).toEqual({
      ok: true,
      addresses: ['93.184.216.34', '2606:2800:220:1::1'],
    });
  });

  it('refuses a name when any of its addresses is private, naming it and the way to allow it', async () => {
    const result = await checkWebhookHost('mixed.example', lookup({ 'mixed.example': ['93.184.216.34', '10.0.0.5'] }));
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(/10\.0\.0\.5.*HERALD_WEBHOOKS_ALLOW_PRIVATE=true/) });
  });

  it('judges bracketed IPv6 literals without a lookup, and leaves names that do not resolve yet to the connection-time check', async () => {
    expect((await checkWebhookHost('[::1]', lookup({}))).ok).toBe(false);
    expect(await checkWebhookHost('not-yet.example', lookup({}))).toEqual({ ok: true, addresses: [] });
  });
});
