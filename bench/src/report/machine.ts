import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, release, totalmem } from 'node:os';
import { heraldVersion } from '../targets/herald-target.js';
import { natsVersion } from '../targets/nats-target.js';

/** Where and with what a run happened. */
export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  kernel: string;
  node: string;
  versions: Record<string, string>;
}

const require = createRequire(import.meta.url);

function packageVersion(name: string): string {
  try {
    const path = require.resolve(`${name}/package.json`);
    return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

export function machineInfo(): MachineInfo {
  let cpuModel = cpus()[0]?.model ?? 'unknown';
  try {
    cpuModel = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpuModel;
  } catch {
    // /proc is Linux-only; os.cpus() already gave a name.
  }
  return {
    cpuModel,
    cores: cpus().length,
    memoryGiB: totalmem() / 2 ** 30,
    kernel: release(),
    node: process.version,
    versions: {
      herald: heraldVersion() ?? 'unknown',
      ws: packageVersion('ws'),
      'socket.io': packageVersion('socket.io'),
      'nats-server': natsVersion() ?? 'not installed',
      'hdr-histogram-js': packageVersion('hdr-histogram-js'),
    },
  };
}
