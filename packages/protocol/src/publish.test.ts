import { describe, expect, it } from 'vitest';
import { normalizePublishInput } from './publish.js';

describe('normalizePublishInput', () => {
  it('reads the field names event_type, timestamp, payload and correlationId', () => {
    const r = normalizePublishInput({
      event_type: 'agent_request',
      timestamp: '2024-01-15T10:30:00Z',
      payload: { agent: 'requirements_agent' },
      correlationId: 'req-1',
    });
    expect(r).toEqual({
      ok: true,
      value: {
        type: 'agent_request',
        source: 'unknown',
        time: '2024-01-15T10:30:00.000Z',
        severity: 'info',
        priority: 'normal',
        correlation_id: 'req-1',
        data: { agent: 'requirements_agent' },
      },
    });
  });
});
