import { describe, expect, it } from 'vitest';
import { parseArgs } from './args.js';

const known = { scenarios: ['S1', 'S2', 'S3'], targets: ['herald', 'ws-once', 'socket.io'] };

describe('parseArgs', () => {
  it('defaults to the full mode with every scenario and target', () => {
    expect(parseArgs([], known)).toEqual({ ok: true, args: { isQuick: false, isHelp: false } });
  });

  it('reads --quick, --only and --targets in both spaced and = forms, case-insensitively', () => {
    const parsed = parseArgs(['--quick', '--only', 's1,S3', '--targets=herald,WS-ONCE', '--reps', '3'], known);
    expect(parsed).toEqual({
      ok: true,
      args: { isQuick: true, isHelp: false, only: ['S1', 'S3'], targets: ['herald', 'ws-once'], reps: 3 },
    });
  });

  it('names unknown scenarios, targets and flags', () => {
    expect(parseArgs(['--only', 'S1,S12'], known)).toEqual({ ok: false, error: 'unknown scenario S12 (known: S1, S2, S3)' });
    expect(parseArgs(['--targets', 'redis'], known)).toMatchObject({ ok: false, error: expect.stringContaining('unknown target redis') });
    expect(parseArgs(['--fast'], known)).toEqual({ ok: false, error: 'unknown argument --fast' });
  });

  it('rejects a missing value and an out-of-range repetition count', () => {
    expect(parseArgs(['--only'], known)).toEqual({ ok: false, error: '--only needs a value' });
    expect(parseArgs(['--reps', '0'], known)).toMatchObject({ ok: false });
  });
});
