import { describe, expect, it } from 'vitest';
import { parseCpuUs, parseMachineBusyUs, parseMemoryKiB } from './proc-stats.js';

describe('parseCpuUs', () => {
  it('adds utime and stime even when the command name holds spaces and parentheses', () => {
    const stat = '4242 (node (x) y) S 1 4242 4242 0 -1 4194304 100 0 0 0 250 50 0 0 20 0 11 0 123 0 0';
    expect(parseCpuUs(stat)).toBe(3_000_000);
  });
});

describe('parseMemoryKiB', () => {
  it('reads VmRSS and VmHWM', () => {
    const status = 'Name:\tnode\nVmHWM:\t  81234 kB\nVmRSS:\t   70000 kB\nThreads:\t11\n';
    expect(parseMemoryKiB(status)).toEqual({ rss: 70_000, peakRss: 81_234 });
  });
});

describe('parseMachineBusyUs', () => {
  it('adds every busy field of the cpu line and leaves out idle and iowait', () => {
    const stat = 'cpu  100 10 50 9000 40 5 5 0 0 0\ncpu0 50 5 25 4500 20 2 3 0 0 0\n';
    expect(parseMachineBusyUs(stat)).toBe(1_700_000);
  });
});
