import { nowUs } from '../clock.js';
import { readCpuUs, readMachineBusyUs } from '../proc/proc-stats.js';

/** CPU spent inside a window, µs. */
export interface WindowCpuSample {
  /** The server process, all threads. */
  serverUs: number;
  /** The whole machine, every process (to show what else was running). */
  machineUs: number;
}

/**
 * The server's and the machine's CPU time inside [fromUs, toUs), read from
 * /proc by timers at the window's edges. Resolves just after `toUs`.
 */
export function sampleWindowCpu(pid: number, fromUs: number, toUs: number): Promise<WindowCpuSample> {
  return new Promise((resolve) => {
    let server = NaN;
    let machine = NaN;
    const now = nowUs();
    setTimeout(
      () => {
        server = readCpuUs(pid);
        machine = readMachineBusyUs();
      },
      Math.max(0, (fromUs - now) / 1000),
    );
    setTimeout(
      () => resolve({ serverUs: readCpuUs(pid) - server, machineUs: readMachineBusyUs() - machine }),
      Math.max(0, (toUs - now) / 1000),
    );
  });
}

/** CPU µs over a span, as a percentage of one core. */
export function cpuPercent(cpuUs: number, spanUs: number): number {
  return (cpuUs / spanUs) * 100;
}
