import { nowUs, sleep } from '../clock.js';
import type { MiniSocket } from '../wire/mini-socket.js';
import { openSession } from './connect.js';
import { ErrorLog } from './error-log.js';
import type { ResumeRequest, ResumeResult } from './messages.js';
import { expandRoles } from './roles.js';

/**
 * S8: every client of this process connects at `startUs` and subscribes with
 * `since`; a client is caught up when its `replayed` marker arrives.
 */
export async function resumeStorm(request: ResumeRequest): Promise<ResumeResult> {
  const errors = new ErrorLog();
  const roles = expandRoles(request.roles);
  const doneUs = new Array<number>(roles.length).fill(-1);
  const sockets: MiniSocket[] = [];
  let replayedEvents = 0;
  let notRecovered = 0;
  let failed = 0;
  let remaining = roles.length;
  await sleep((request.startUs - nowUs()) / 1000);
  const cpuStart = process.cpuUsage();
  const options = { spec: request.spec, localAddress: request.localAddress, isDeflateOffered: false, timeoutMs: request.timeoutMs };
  const opening = roles.map((role, k) =>
    openSession(options, role, {
      onEvent: () => undefined,
      onAck: () => undefined,
      onReplayed(count, isRecovered) {
        if (doneUs[k] !== -1) return;
        doneUs[k] = nowUs() - request.startUs;
        replayedEvents += count;
        if (!isRecovered) notRecovered++;
        remaining--;
      },
      onError: (text) => errors.add(text),
      onClose: (code) => errors.add(`closed with ${code}`),
    }).then(
      (socket) => void sockets.push(socket),
      (error: Error) => {
        failed++;
        remaining--;
        errors.add(error.message);
      },
    ),
  );
  await Promise.all(opening);
  const deadlineUs = request.startUs + request.timeoutMs * 1000;
  while (remaining > 0 && nowUs() < deadlineUs) await sleep(10);
  const cpuUsed = process.cpuUsage(cpuStart);
  for (const socket of sockets) socket.destroy();
  return { doneUs, replayedEvents, notRecovered, failed, cpuUs: cpuUsed.user + cpuUsed.system, errors: errors.list() };
}
