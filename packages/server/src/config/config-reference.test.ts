import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MCP_SERVER_KEYS, renderConfigReference } from './config-reference.js';
import { mcpServerSchema } from './config-schema.js';
import { VERSION } from '../version.js';

describe('docs/configuration.md', () => {
  it('is the configuration reference rendered from the variable table (run npm run docs to refresh it)', () => {
    const doc = readFileSync(new URL('../../../../docs/configuration.md', import.meta.url), 'utf8');
    expect(doc).toBe(renderConfigReference());
  });
});

describe('VERSION', () => {
  it('equals the server package version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(VERSION).toBe(pkg.version);
  });
});

describe('MCP_SERVER_KEYS', () => {
  it('describes every key of an mcp.servers entry', () => {
    expect(Object.keys(MCP_SERVER_KEYS).sort()).toEqual(Object.keys(mcpServerSchema.shape).sort());
  });
});
