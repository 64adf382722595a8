import { describe, expect, it } from 'vitest';
import { parseFilterFlag, parseFilterFlags } from './parse-filter-flag.js';

const filtersOf = (...flags: string[]) => {
  const result = parseFilterFlags(flags);
  if (!result.ok) throw new Error(result.problem);
  return result.filters;
};

const problemOf = (...flags: string[]) => {
  const result = parseFilterFlags(flags);
  if (result.ok) throw new Error('expected a problem');
  return result.problem;
};

describe('parseFilterFlags', () => {
  describe('equality', () => {
    it('reads key=value as equals', () => {
      expect(filtersOf('severity=error')).toEqual({ severity: 'error' });
    });

    it('reads a comma list as any of', () => {
      expect(filtersOf('severity=error,critical')).toEqual({ severity: ['error', 'critical'] });
      expect(filtersOf('data.mcp_name=oracle, postgres ,')).toEqual({ 'data.mcp_name': ['oracle', 'postgres'] });
    });

    it('types numbers, booleans and null in data fields', () => {
      expect(filtersOf('data.code=404', 'data.ok=true', 'data.user=null', 'data.ratio=-1.5e3')).toEqual({
        'data.code': 404,
        'data.ok': true,
        'data.user': null,
        'data.ratio': -1500,
      });
    });

    it('keeps text that only looks like a number as text', () => {
      expect(filtersOf('data.zip=007', 'data.v=1.')).toEqual({ 'data.zip': '007', 'data.v': '1.' });
    });

    it('keeps the event text fields and search as strings', () => {
      expect(filtersOf('org=123', 'source=true', 'correlation_id=42')).toEqual({ org: '123', source: 'true', correlation_id: '42' });
      expect(filtersOf('search=time out, retry')).toEqual({ search: 'time out, retry' });
    });

    it('reads a JSON-quoted value as one string, commas included', () => {
      expect(filtersOf('data.code="404"', 'data.msg="a,b"', 'data.empty=""')).toEqual({
        'data.code': '404',
        'data.msg': 'a,b',
        'data.empty': '',
      });
    });

    it('keeps "=" inside the value', () => {
      expect(filtersOf('data.query=a=b')).toEqual({ 'data.query': 'a=b' });
    });
  });

  describe('operators', () => {
    it('reads != as ne and a list after != as nin', () => {
      expect(filtersOf('source!=ci')).toEqual({ source: { ne: 'ci' } });
      expect(filtersOf('source!=ci,bot')).toEqual({ source: { nin: ['ci', 'bot'] } });
    });

    it('reads comparisons with numbers', () => {
      expect(filtersOf('data.latency_ms>=500')).toEqual({ 'data.latency_ms': { gte: 500 } });
      expect(filtersOf('data.a>1', 'data.b<=2', 'data.c<3')).toEqual({ 'data.a': { gt: 1 }, 'data.b': { lte: 2 }, 'data.c': { lt: 3 } });
    });

    it('compares text such as times as strings', () => {
      expect(filtersOf('time>=2026-01-01T00:00:00Z')).toEqual({ time: { gte: '2026-01-01T00:00:00Z' } });
    });

    it('reads ~= as contains and ^= as prefix, always as text', () => {
      expect(filtersOf('data.message~=timeout', 'data.path^=/api', 'data.code~=40')).toEqual({
        'data.message': { contains: 'timeout' },
        'data.path': { prefix: '/api' },
        'data.code': { contains: '40' },
      });
    });

    it('reads key? and !key as exists', () => {
      expect(filtersOf('data.user?', '!data.error')).toEqual({ 'data.user': { exists: true }, 'data.error': { exists: false } });
    });

    it('combines comparisons on one key', () => {
      expect(filtersOf('data.latency_ms>=500', 'data.latency_ms<1000')).toEqual({ 'data.latency_ms': { gte: 500, lt: 1000 } });
    });
  });

  describe('problems', () => {
    it('names the flag and the syntax when it cannot be read', () => {
      expect(problemOf('severity')).toMatch(/^--filter "severity": write key=value, key!=value, key>=number/);
      expect(problemOf('=error')).toMatch(/^--filter "=error": write key=value/);
      expect(problemOf('!data.x?')).toMatch(/^--filter "!data.x\?": write/);
    });

    it('refuses an empty value', () => {
      expect(problemOf('severity=')).toMatch(/the value is empty/);
    });

    it('refuses a comparison with a literal', () => {
      expect(problemOf('data.x>=true')).toMatch(/>= needs a number or a text value/);
    });

    it('refuses two equalities, or the same operator twice, on one key', () => {
      expect(problemOf('severity=error', 'severity=info')).toMatch(/^--filter "severity=info": "severity" is already matched/);
      expect(problemOf('data.x>=1', 'data.x>=2')).toMatch(/already matched/);
    });
  });

  it('returns no filters for no flags', () => {
    expect(filtersOf()).toEqual({});
  });
});

describe('parseFilterFlag', () => {
  it('trims the flag', () => {
    expect(parseFilterFlag('  severity=error ')).toEqual({ ok: true, key: 'severity', value: 'error' });
  });
});
