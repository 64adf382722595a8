import { readFileSync } from 'node:fs';

/** Linux clock ticks per second for /proc/<pid>/stat times (USER_HZ, 100 on every mainstream kernel). */
export const TICKS_PER_S = 100;

/** CPU time of a process, µs (user + system, all threads). */
export function parseCpuUs(statText: string): number {
  // Field 2 (comm) may hold spaces and parentheses; the rest follows the last ')'.
  const rest = statText.slice(statText.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state), so utime (14) and stime (15) are rest[11] and rest[12].
  const ticks = Number(rest[11]) + Number(rest[12]);
  return (ticks * 1e6) / TICKS_PER_S;
}

/** Memory figures from /proc/<pid>/status, KiB. */
export interface MemoryKiB {
  rss: number;
  /** Peak resident set size (high water mark). */
  peakRss: number;
}

export function parseMemoryKiB(statusText: string): MemoryKiB {
  const field = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(statusText)?.[1] ?? NaN);
  return { rss: field('VmRSS'), peakRss: field('VmHWM') };
}

/** Reads the CPU time of `pid`, µs; NaN when the process is gone. */
export function readCpuUs(pid: number): number {
  try {
    return parseCpuUs(readFileSync(`/proc/${pid}/stat`, 'latin1'));
  } catch {
    return NaN;
  }
}

/** Reads the memory of `pid`; NaN fields when the process is gone. */
export function readMemoryKiB(pid: number): MemoryKiB {
  try {
    return parseMemoryKiB(readFileSync(`/proc/${pid}/status`, 'latin1'));
  } catch {
    return { rss: NaN, peakRss: NaN };
  }
}

/** Busy CPU time of the whole machine (all cores, every process), µs, from the first line of /proc/stat. */
export function parseMachineBusyUs(procStatText: string): number {
  const fields = (procStatText.split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal; guest time is already inside user.
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  return ((user + nice + system + irq + softirq + steal) * 1e6) / TICKS_PER_S;
}

/** Reads the machine's busy CPU time, µs; NaN off Linux. */
export function readMachineBusyUs(): number {
  try {
    return parseMachineBusyUs(readFileSync('/proc/stat', 'latin1'));
  } catch {
    return NaN;
  }
}
