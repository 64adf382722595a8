import { describe, expect, it } from 'vitest';
import { argumentsOf, fieldsOf } from './schema-form';

const SCHEMA = {
  type: 'object',
  required: ['message', 'count'],
  properties: {
    mode: { type: 'string', enum: ['fast', 'slow'], default: 'fast' },
    message: { type: 'string', description: 'What to say' },
    count: { type: 'integer' },
    ratio: { type: 'number', default: 0.5 },
    loud: { type: 'boolean' },
    tags: { type: 'array', items: { type: 'string' } },
    options: { type: 'object', properties: { depth: { type: 'number' } } },
  },
};

describe('fieldsOf', () => {
  it('makes one field per property with its control, required fields first', () => {
    expect(fieldsOf(SCHEMA).map((f) => [f.name, f.kind, f.isRequired, f.initial])).toEqual([
      ['message', 'string', true, ''],
      ['count', 'integer', true, ''],
      ['mode', 'enum', false, 'fast'],
      ['ratio', 'number', false, '0.5'],
      ['loud', 'boolean', false, 'false'],
      ['tags', 'string-list', false, ''],
      ['options', 'json', false, ''],
    ]);
    expect(fieldsOf(SCHEMA)[2]!.options).toEqual(['fast', 'slow']);
  });

  it('has no fields for a schema without properties', () => {
    expect(fieldsOf({ type: 'object' })).toEqual([]);
    expect(fieldsOf(undefined)).toEqual([]);
  });
});

describe('argumentsOf', () => {
  const fields = fieldsOf(SCHEMA);

  it('reads every kind of value into the arguments and leaves out empty optional fields', () => {
    expect(argumentsOf(fields, { message: 'hi', count: '3', loud: 'true', tags: 'a\n\n b ', options: '{"depth":2}' })).toEqual({
      ok: true,
      value: { message: 'hi', count: 3, mode: 'fast', ratio: 0.5, loud: true, tags: ['a', 'b'], options: { depth: 2 } },
    });
  });

  it('names each field that is missing or malformed', () => {
    expect(argumentsOf(fields, { message: 'hi', count: '2.5', ratio: 'x', options: '{' })).toEqual({
      ok: false,
      errors: { count: 'must be a whole number', ratio: 'must be a number', options: expect.stringContaining('not valid JSON') },
    });
    expect(argumentsOf(fields, { message: 'hi' })).toEqual({ ok: false, errors: { count: 'required' } });
  });
});
