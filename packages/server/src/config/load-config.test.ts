import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/herald-error.js';
import { ENV_VARIABLES } from './env-variables.js';
import { defaultStorePath, loadConfig, type LoadConfigOptions, resolveStore } from './load-config.js';
import { splitApiKeys } from './split-api-keys.js';
import { editDistance, suggestName } from './suggest-name.js';

let cwd: string;

beforeEach(() => {
  cwd = mkdtempSync(path.join(tmpdir(), 'herald-config-'));
});

afterEach(() => {
  rmSync(cwd, { recursive: true, force: true });
});

function load(options: Partial<LoadConfigOptions> = {}) {
  return loadConfig({ cwd, env: {}, ...options });
}

/** The problems a load reports, failing the test when it succeeds. */
function problemsOf(options: Partial<LoadConfigOptions>): string[] {
  try {
    load(options);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

const writeFile = (name: string, text: string) => writeFileSync(path.join(cwd, name), text);

describe('loadConfig', () => {
  describe('defaults', () => {
    it('returns the schema defaults with the data dir made absolute against cwd', () => {
      const config = load();
      expect(config.host).toBe('127.0.0.1');
      expect(config.port).toBe(8080);
      expect(config.dataDir).toBe(path.join(cwd, 'data'));
      expect(config.store).toBeUndefined();
      expect(config.limits.maxPayloadBytes).toBe(65_536);
    });

    it('picks pretty logs on a terminal and json otherwise', () => {
      expect(load({ isTTY: true }).logFormat).toBe('pretty');
      expect(load({ isTTY: false }).logFormat).toBe('json');
      expect(load({ isTTY: true, env: { HERALD_LOG_FORMAT: 'json' } }).logFormat).toBe('json');
    });

    it('returns a deep-frozen config', () => {
      const config = load({ env: { HERALD_CORS_ORIGINS: 'https://a.example' } });
      expect(Object.isFrozen(config)).toBe(true);
      expect(Object.isFrozen(config.limits)).toBe(true);
      expect(Object.isFrozen(config.jwt)).toBe(true);
      expect(Object.isFrozen(config.corsOrigins)).toBe(true);
      expect(() => {
        (config as { port: number }).port = 1;
      }).toThrow(TypeError);
    });
  });

  describe('precedence', () => {
    it('lets the environment override defaults, the file override the environment, and flags override both', () => {
      writeFile('herald.config.yaml', 'port: 9001\nhost: 0.0.0.0\n');
      const env = { HERALD_PORT: '9000', HERALD_HOST: '10.0.0.1', HERALD_BUS: 'redis://r:6379' };
      expect(load({ env }).port).toBe(9001);
      expect(load({ env }).host).toBe('0.0.0.0');
      expect(load({ env }).bus).toBe('redis://r:6379');
      expect(load({ env, argvOverrides: { port: '9002' } }).port).toBe(9002);
      expect(load({ env, argvOverrides: { port: 0 } }).port).toBe(0);
    });

    it('merges nested objects key by key across sources', () => {
      writeFile('herald.config.yaml', 'limits:\n  maxPayloadBytes: 1024\n');
      const config = load({ env: { HERALD_LIMITS_MAX_CONNECTIONS: '10', HERALD_LIMITS_MAX_PAYLOAD_BYTES: '2048' } });
      expect(config.limits.maxPayloadBytes).toBe(1024);
      expect(config.limits.maxConnections).toBe(10);
      expect(config.limits.heartbeatIntervalMs).toBe(25_000);
    });

    it('ignores variables set to the empty string', () => {
      expect(load({ env: { HERALD_PORT: '', HERALD_STORE: '  ' } }).port).toBe(8080);
    });

    it('ignores variables outside the HERALD_ prefix and tolerates undefined values', () => {
      expect(load({ env: { PORT: '1', HOME: '/root', HERALD_HOST: undefined } }).port).toBe(8080);
    });
  });

  describe('environment variables', () => {
    it('reads strings, ports, integers, booleans and lists', () => {
      const config = load({
        env: {
          HERALD_HOST: '0.0.0.0',
          HERALD_PORT: '0',
          HERALD_DATA_DIR: 'var/herald',
          HERALD_STORE: 'postgres://db/herald',
          HERALD_BUS: 'redis://localhost:6379',
          HERALD_ADMIN_TOKEN: 'a-long-enough-admin-token',
          HERALD_ALLOW_ANONYMOUS: 'yes',
          HERALD_CORS_ORIGINS: 'https://a.example, https://b.example,',
          HERALD_LOG_LEVEL: 'debug',
          HERALD_SQLITE_SYNCHRONOUS: 'full',
          HERALD_LIMITS_MAX_PAYLOAD_BYTES: '1024',
          HERALD_LIMITS_HEARTBEAT_INTERVAL_MS: '5000',
          HERALD_RETENTION_MAX_EVENTS: '0',
          HERALD_RETENTION_MAX_AGE_MS: '3600000',
          HERALD_DASHBOARD: 'off',
        },
      });
      expect(config).toMatchObject({
        host: '0.0.0.0',
        port: 0,
        dataDir: path.join(cwd, 'var/herald'),
        store: 'postgres://db/herald',
        bus: 'redis://localhost:6379',
        adminToken: 'a-long-enough-admin-token',
        allowAnonymous: true,
        corsOrigins: ['https://a.example', 'https://b.example'],
        logLevel: 'debug',
        sqliteSynchronous: 'full',
        dashboard: false,
      });
      expect(config.limits.maxPayloadBytes).toBe(1024);
      expect(config.limits.heartbeatIntervalMs).toBe(5000);
      expect(config.retention).toMatchObject({ maxEvents: 0, maxAgeMs: 3_600_000 });
    });

    it.each([
      ['true', true],
      ['FALSE', false],
      ['1', true],
      ['0', false],
      ['Yes', true],
      ['no', false],
    ])('reads HERALD_ALLOW_ANONYMOUS=%s as %s', (text, expected) => {
      expect(load({ env: { HERALD_ALLOW_ANONYMOUS: text } }).allowAnonymous).toBe(expected);
    });

    it('reads the JWT settings, turning "\\n" escapes of the public key into newlines', () => {
      const config = load({
        env: {
          HERALD_JWT_SECRET: 'x'.repeat(32),
          HERALD_JWT_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----\\nABC\\n-----END PUBLIC KEY-----',
          HERALD_JWKS_URL: 'https://id.example/.well-known/jwks.json',
          HERALD_JWT_ISSUER: 'https://id.example/',
          HERALD_JWT_AUDIENCE: 'herald',
        },
      });
      expect(config.jwt).toEqual({
        secret: 'x'.repeat(32),
        publicKey: '-----BEGIN PUBLIC KEY-----\nABC\n-----END PUBLIC KEY-----',
        jwksUrl: 'https://id.example/.well-known/jwks.json',
        issuer: 'https://id.example/',
        audience: 'herald',
        clockSkewS: 30,
      });
    });

    it('has a variable for every limit and retention key', () => {
      const names = new Set(ENV_VARIABLES.map((v) => v.name));
      for (const key of Object.keys(load().limits)) {
        expect(names.has(`HERALD_LIMITS_${key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}`)).toBe(true);
      }
      expect(names.has('HERALD_RETENTION_MAX_EVENTS')).toBe(true);
      expect(names.has('HERALD_RETENTION_MAX_AGE_MS')).toBe(true);
    });

    it('has a variable for every setting that is not a list of objects', () => {
      const keys = new Set(ENV_VARIABLES.map((v) => v.key));
      const flatten = (value: object, prefix: string): string[] =>
        Object.entries(value).flatMap(([k, v]) =>
          v !== null && typeof v === 'object' && !Array.isArray(v) ? flatten(v as object, `${prefix}${k}.`) : [`${prefix}${k}`],
        );
      const missing = flatten(load(), '').filter((key) => !keys.has(key) && !['registry', 'mcp.servers', 'agents.backends', 'webhooks'].includes(key));
      expect(missing).toEqual([]);
    });

    it('accepts the client variables HERALD_URL and HERALD_TOKEN without using them', () => {
      expect(() => load({ env: { HERALD_URL: 'http://x:1', HERALD_TOKEN: 't' } })).not.toThrow();
    });
  });

  describe('HERALD_API_KEYS', () => {
    const k1 = 'k1-0123456789abcdef';
    const k2 = 'k2-0123456789abcdef';

    it('splits a plain comma list of name:key entries', () => {
      expect(load({ env: { HERALD_API_KEYS: `ingest:${k1},ci:${k2}` } }).apiKeys).toEqual([`ingest:${k1}`, `ci:${k2}`]);
    });

    it('reads one entry with comma-separated permissions', () => {
      expect(load({ env: { HERALD_API_KEYS: `ingest:${k1}:publish:*,history:*` } }).apiKeys).toEqual([`ingest:${k1}:publish:*,history:*`]);
    });

    it('separates entries with permissions by ";" or newlines', () => {
      const keys = load({ env: { HERALD_API_KEYS: `ingest:${k1}:publish:*,history:*; ci:${k2}\nbot:${k1}:publish:bot.*` } }).apiKeys;
      expect(keys).toEqual([`ingest:${k1}:publish:*,history:*`, `ci:${k2}`, `bot:${k1}:publish:bot.*`]);
    });

    it('reports a comma list mixing permissions without echoing the key', () => {
      const [problem] = problemsOf({ env: { HERALD_API_KEYS: `a:secret-0123456789abcdef,b:${k2}:publish:*` } });
      expect(problem).toMatch(/^HERALD_API_KEYS entry 1 \("a"\): .*separate entries with ";"/);
      expect(problem).not.toContain('secret');
    });

    it('reports entries without a key, short keys and names used twice', () => {
      expect(problemsOf({ env: { HERALD_API_KEYS: `a;b:${k1};b:${k2};c:short` } })).toEqual([
        expect.stringMatching(/^HERALD_API_KEYS entry 1 \("a"\): the key is missing/),
        expect.stringMatching(/^HERALD_API_KEYS entry 3 \("b"\): the name is used by an earlier entry/),
        'HERALD_API_KEYS entry 4 ("c"): the key must be at least 16 characters; use a long random key',
      ]);
    });

    it('names the file entry of a malformed key', () => {
      writeFile('herald.config.yaml', 'apiKeys:\n  - "nokey"\n');
      expect(problemsOf({})).toEqual([expect.stringMatching(/^herald\.config\.yaml: apiKeys\[0\] \("nokey"\): the key is missing/)]);
    });
  });

  describe('config file', () => {
    it('reads herald.config.yaml from cwd with the schema keys', () => {
      writeFile(
        'herald.config.yaml',
        [
          'port: 9100',
          'limits:',
          '  maxPayloadBytes: 4096',
          'apiKeys:',
          '  - "ingest:k1-0123456789abcdef:publish:*"',
          'registry:',
          '  - id: billing.*',
          '    label: Billing',
        ].join('\n'),
      );
      const config = load();
      expect(config.port).toBe(9100);
      expect(config.limits.maxPayloadBytes).toBe(4096);
      expect(config.apiKeys).toEqual(['ingest:k1-0123456789abcdef:publish:*']);
      expect(config.registry).toEqual([{ id: 'billing.*', label: 'Billing' }]);
    });

    it('reads herald.config.json when there is no YAML file', () => {
      writeFile('herald.config.json', JSON.stringify({ port: 9200, corsOrigins: ['*'] }));
      expect(load()).toMatchObject({ port: 9200, corsOrigins: ['*'] });
    });

    it('prefers herald.config.yaml over .yml and .json', () => {
      writeFile('herald.config.json', '{"port": 1}');
      writeFile('herald.config.yml', 'port: 2');
      writeFile('herald.config.yaml', 'port: 3');
      expect(load().port).toBe(3);
    });

    it('reads the file HERALD_CONFIG names, relative to cwd, and --config over it', () => {
      writeFile('a.yaml', 'port: 1111');
      writeFile('b.json', '{"port": 2222}');
      expect(load({ env: { HERALD_CONFIG: 'a.yaml' } }).port).toBe(1111);
      expect(load({ env: { HERALD_CONFIG: 'a.yaml' }, argvOverrides: { config: 'b.json' } }).port).toBe(2222);
    });

    it('reports a named file that does not exist', () => {
      expect(problemsOf({ env: { HERALD_CONFIG: 'missing.yaml' } })).toEqual([
        expect.stringMatching(/^HERALD_CONFIG="missing.yaml": file not found \(looked for .*missing\.yaml\)/),
      ]);
    });

    it('names the file, line and column of a syntax error', () => {
      writeFile('herald.config.yaml', 'port: 8080\nlimits: [1,\n');
      expect(problemsOf({})).toEqual([expect.stringMatching(/^herald\.config\.yaml:3:1: cannot parse: /)]);
    });

    it('names the line and column of a syntax error in JSON', () => {
      writeFile('herald.config.json', '{\n  "port": 1,,\n}');
      expect(problemsOf({})).toEqual([expect.stringMatching(/^herald\.config\.json:2:\d+: cannot parse: /)]);
    });

    it('reports duplicate keys', () => {
      writeFile('herald.config.yaml', 'port: 1\nport: 2\n');
      expect(problemsOf({})).toEqual([expect.stringMatching(/^herald\.config\.yaml:2:1: cannot parse: Map keys must be unique/)]);
    });

    it('reads an empty file as no settings and rejects a top level that is not a mapping', () => {
      writeFile('herald.config.yaml', '# nothing yet\n');
      expect(load().port).toBe(8080);
      writeFile('herald.config.yaml', '- port: 1\n');
      expect(problemsOf({})).toEqual([expect.stringContaining('herald.config.yaml: must be a mapping of settings')]);
    });
  });

  describe('problems', () => {
    it('names the variable, its value and the fix', () => {
      expect(problemsOf({ env: { HERALD_PORT: 'abc' } })).toEqual(['HERALD_PORT="abc": must be a port number (0-65535)']);
      expect(problemsOf({ env: { HERALD_PORT: '65536' } })).toEqual(['HERALD_PORT="65536": must be a port number (0-65535)']);
    });

    it('parses numbers strictly', () => {
      expect(problemsOf({ env: { HERALD_LIMITS_MAX_PAYLOAD_BYTES: '12abc', HERALD_RETENTION_MAX_AGE_MS: '1.5' } })).toEqual([
        'HERALD_LIMITS_MAX_PAYLOAD_BYTES="12abc": must be a whole number, digits only (such as 65536)',
        'HERALD_RETENTION_MAX_AGE_MS="1.5": must be a whole number, digits only (such as 65536)',
      ]);
    });

    it('names the variable when the schema rejects its parsed value', () => {
      expect(problemsOf({ env: { HERALD_LIMITS_MAX_PAYLOAD_BYTES: '-1', HERALD_LOG_LEVEL: 'loud' } })).toEqual([
        'HERALD_LOG_LEVEL="loud": must be one of fatal, error, warn, info, debug, trace, silent',
        'HERALD_LIMITS_MAX_PAYLOAD_BYTES="-1": must be greater than 0',
      ]);
    });

    it('names the file, the key path and the value', () => {
      writeFile('herald.config.yaml', 'limits:\n  maxPayloadBytes: -1\n');
      expect(problemsOf({})).toEqual(['herald.config.yaml: limits.maxPayloadBytes = -1: must be greater than 0']);
    });

    it('names the flag', () => {
      expect(problemsOf({ argvOverrides: { port: 'x', logFormat: 'xml' } })).toEqual([
        '--port "x": must be a port number (0-65535)',
        '--log-format "xml": must be "pretty" or "json"',
      ]);
    });

    it('blames the source that won when several set a value', () => {
      writeFile('herald.config.yaml', 'port: 70000\n');
      expect(problemsOf({ env: { HERALD_PORT: '1' } })).toEqual(['herald.config.yaml: port = 70000: must be at most 65535']);
    });

    it('suggests the closest key for an unknown key in the file, at any depth', () => {
      writeFile('herald.config.yaml', 'limtis: {}\nlimits:\n  maxPayloadByte: 5\nregistry:\n  - id: a\n    lable: A\n');
      expect(problemsOf({})).toEqual(
        expect.arrayContaining([
          'herald.config.yaml: limtis: unknown key (did you mean "limits"?)',
          'herald.config.yaml: limits.maxPayloadByte: unknown key (did you mean "maxPayloadBytes"?)',
          'herald.config.yaml: registry[0].lable: unknown key (did you mean "label"?)',
        ]),
      );
    });

    it('lists the allowed keys when nothing is close and the list is short', () => {
      writeFile('herald.config.yaml', 'retention:\n  zzz: 1\n');
      expect(problemsOf({})).toEqual(['herald.config.yaml: retention.zzz: unknown key; expected one of maxEvents, maxAgeMs, intervalMs']);
    });

    it('suggests the closest variable for an unknown HERALD_ variable', () => {
      expect(problemsOf({ env: { HERALD_PROT: '1', HERALD_LIMITS_MAX_PAYLOAD_BYTE: '1', HERALD_ZZZZZZ: '1' } })).toEqual([
        'HERALD_PROT: unknown variable (did you mean HERALD_PORT?)',
        'HERALD_LIMITS_MAX_PAYLOAD_BYTE: unknown variable (did you mean HERALD_LIMITS_MAX_PAYLOAD_BYTES?)',
        'HERALD_ZZZZZZ: unknown variable; remove it ("herald serve --help" lists the known ones)',
      ]);
    });

    it('hides secret values', () => {
      writeFile('herald.config.yaml', 'jwt:\n  secret: tooshort\n');
      const problems = problemsOf({ env: { HERALD_ADMIN_TOKEN: 'short' } });
      expect(problems).toEqual([
        'HERALD_ADMIN_TOKEN (value hidden): must be at least 16 characters',
        'herald.config.yaml: jwt.secret = (hidden): must be at least 32 characters (256 bits) for HS256',
      ]);
    });

    it('lists every problem of every source in one ConfigError', () => {
      writeFile('herald.config.yaml', 'limtis: {}\nlimits:\n  maxConnections: 0\n');
      const problems = problemsOf({
        env: { HERALD_PORT: 'abc', HERALD_ALLOW_ANONYMOUS: 'maybe', HERALD_BUSS: 'memory' },
        argvOverrides: { logLevel: 'loud' },
      });
      expect(problems).toHaveLength(6);
      expect(problems.join('\n')).toMatch(/HERALD_PORT[\s\S]*HERALD_ALLOW_ANONYMOUS[\s\S]*HERALD_BUSS[\s\S]*--log-level[\s\S]*limits\.maxConnections[\s\S]*limtis/);
    });

    it('puts every problem in the error message', () => {
      try {
        load({ env: { HERALD_PORT: 'abc', HERALD_HOST: '', HERALD_BUS: '', HERALD_DASHBOARD: 'x' } });
        expect.unreachable();
      } catch (error) {
        expect((error as Error).message).toBe(
          'Invalid configuration:\n  - HERALD_PORT="abc": must be a port number (0-65535)\n  - HERALD_DASHBOARD="x": must be true or false (1/0, yes/no and on/off also work)',
        );
      }
    });
  });

  describe('paths', () => {
    it('resolves a relative sqlite store against cwd and leaves the others alone', () => {
      expect(load({ env: { HERALD_STORE: 'sqlite:db/h.db' } }).store).toBe(`sqlite:${path.join(cwd, 'db/h.db')}`);
      expect(load({ env: { HERALD_STORE: 'sqlite::memory:' } }).store).toBe('sqlite::memory:');
      expect(load({ env: { HERALD_STORE: 'postgres://h/db' } }).store).toBe('postgres://h/db');
    });
  });
});

describe('defaultStorePath', () => {
  it('is herald.db in the data dir', () => {
    expect(defaultStorePath({ dataDir: '/srv/herald' })).toBe('sqlite:/srv/herald/herald.db');
  });

  it('is what resolveStore gives when no store is set', () => {
    const config = loadConfig({ cwd: '/srv', env: {} });
    expect(resolveStore(config)).toBe('sqlite:/srv/data/herald.db');
    expect(resolveStore({ ...config, store: 'postgres://h/db' })).toBe('postgres://h/db');
  });
});

describe('splitApiKeys', () => {
  it('returns nothing for blank text', () => {
    expect(splitApiKeys('  \n ')).toEqual([]);
  });
});

describe('suggestName', () => {
  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('limtis', 'limits')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('suggests nothing when every candidate is far', () => {
    expect(suggestName('zzz', ['limits', 'host'])).toBeUndefined();
    expect(suggestName('PROT', ['PORT', 'HOST'])).toBe('PORT');
  });
});

describe('mcp.servers', () => {
  it('reads stdio and HTTP servers with the defaults of the design', () => {
    writeFile('herald.config.json', JSON.stringify({ mcp: { servers: [{ name: 'everything', command: 'node', args: ['server.js'] }, { name: 'remote', url: 'http://127.0.0.1:3001/mcp' }] } }));
    const config = load();
    expect(config.mcp.servers[0]).toMatchObject({ name: 'everything', command: 'node', args: ['server.js'], env: {}, healthCheckIntervalMs: 10_000, healthCheckTimeoutMs: 5_000, failureThreshold: 3, openMs: 30_000, autoDisableAfterCycles: 5 });
    expect(config.mcp.servers[1]).toMatchObject({ name: 'remote', url: 'http://127.0.0.1:3001/mcp', headers: {} });
  });

  it('names the bad key of a server entry and the fix', () => {
    writeFile(
      'herald.config.json',
      JSON.stringify({
        mcp: {
          servers: [
            { name: 'a.b', command: 'node' },
            { name: 'both', command: 'node', url: 'http://127.0.0.1:1/mcp' },
            { name: 'neither' },
            { name: 'x', command: 'node', healthCheckIntervalMs: 0, commnd: 'y' },
            { name: 'x', url: 'not a url' },
          ],
        },
      }),
    );
    const problems = problemsOf({});
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^herald\.config\.json: mcp\.servers\[0\]\.name = "a\.b": must be 1-64 letters, digits/),
        expect.stringMatching(/^herald\.config\.json: mcp\.servers\[1\]\.url.*either "command" .* or "url"/),
        expect.stringMatching(/^herald\.config\.json: mcp\.servers\[2\]\.command.*either "command"/),
        expect.stringMatching(/^herald\.config\.json: mcp\.servers\[3\]\.healthCheckIntervalMs = 0: must be greater than 0/),
        'herald.config.json: mcp.servers[3].commnd: unknown key (did you mean "command"?)',
        expect.stringMatching(/^herald\.config\.json: mcp\.servers\[4\]\.url = "not a url": must be an http\(s\) URL/),
      ]),
    );
  });

  it('refuses two servers with the same name', () => {
    writeFile('herald.config.json', JSON.stringify({ mcp: { servers: [{ name: 'x', command: 'a' }, { name: 'x', command: 'b' }] } }));
    expect(problemsOf({})).toEqual([expect.stringMatching(/mcp\.servers\[1\]\.name.*"x" names two servers/)]);
  });
});

describe('loadConfig: agents and routes', () => {
  it('reads backends and routes from the config file and makes agents.dir absolute against cwd', () => {
    writeFile(
      'herald.config.yaml',
      'agents:\n  dir: ./my-agents\n  backends:\n    - name: echo\n      url: http://127.0.0.1:9000/chat\nroutes:\n  sendMessage: { agent: echo }\n  $default: { url: "http://127.0.0.1:9000/default", timeoutMs: 5000 }\n',
    );
    const config = load();
    expect(config.agents).toEqual({ dir: path.join(cwd, 'my-agents'), backends: [{ name: 'echo', url: 'http://127.0.0.1:9000/chat', timeoutMs: 60_000 }] });
    expect(config.routes).toEqual({ sendMessage: { agent: 'echo' }, $default: { url: 'http://127.0.0.1:9000/default', timeoutMs: 5000 } });
  });

  it('names each bad route and backend: a built-in action, two handlers, none, $connect without url, a bad URL', () => {
    writeFile(
      'herald.config.json',
      JSON.stringify({
        agents: { backends: [{ name: 'Echo Agent', url: 'ftp://x' }] },
        routes: {
          subscribe: { url: 'http://127.0.0.1:1/x' },
          both: { agent: 'echo', url: 'http://127.0.0.1:1/x' },
          none: { timeoutMs: 5 },
          $connect: { agent: 'echo' },
          'bad name!': { agent: 'echo' },
        },
      }),
    );
    const problems = problemsOf({}).join('\n');
    expect(problems).toContain('agents.backends[0].name');
    expect(problems).toContain('agents.backends[0].url');
    expect(problems).toMatch(/routes\.subscribe.*is a built-in action/);
    expect(problems).toMatch(/routes\.both.*needs exactly one handler/);
    expect(problems).toMatch(/routes\.none.*needs exactly one handler/);
    expect(problems).toMatch(/routes\.\$connect.*give it a "url"/);
    expect(problems).toMatch(/bad name!.*is not a route name/);
  });
});
