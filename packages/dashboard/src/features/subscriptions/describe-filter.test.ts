import { describe, expect, it } from 'vitest';
import { describeFilter } from './describe-filter';

describe('describeFilter', () => {
  it('says the dashboard’s default subscription filter in words', () => {
    expect(describeFilter('type', { nin: ['metrics'] })).toBe('Type is not metrics');
  });

  it('reads lists, equality and ranges as sentences', () => {
    expect(describeFilter('severity', ['error', 'critical'])).toBe('Severity is error or critical');
    expect(describeFilter('priority', ['low', 'normal', 'high'])).toBe('Priority is low, normal or high');
    expect(describeFilter('source', 'git')).toBe('Source is git');
    expect(describeFilter('data.duration_ms', { gte: 100, lt: 500 })).toBe('duration ms is at least 100 and is less than 500');
    expect(describeFilter('type', { nin: ['metrics', 'kv.updated'] })).toBe('Type is neither metrics nor kv.updated');
    expect(describeFilter('data.user_id', { exists: true })).toBe('user id is present');
    expect(describeFilter('mcp_names', { prefix: 'oracle' })).toBe('MCP server starts with "oracle"');
  });
});
