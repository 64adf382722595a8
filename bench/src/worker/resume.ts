import { nowUs, sleep } from '../clock.js';
import type { ClientSocket } from '../wire/client-socket.js';
import { openSession, type SessionListener } from './connect.js';
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
  const sockets: ClientSocket[] = [];
  let replayedEvents = 0;
  let framesReceived = 0;
  let notRecovered = 0;
  let failed = 0;
  let remaining = roles.length;
  await sleep((request.startUs - nowUs()) / 1000);
  const cpuStart = process.cpuUsage();
  const options = { spec: request.spec, localAddress: request.localAddress, isDeflateOffered: false, timeoutMs: request.timeoutMs };
  // A client refused by an overflowing accept backlog reconnects once at once, as an SDK would.
  const connect = (role: (typeof roles)[number], listener: SessionListener): Promise<ClientSocket> =>
    openSession(options, role, listener).catch(() => openSession(options, role, listener));
  const opening = roles.map((role, k) =>
    connect(role, {
      onEvent: () => void framesReceived++,
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
  // A timer, not a loop, ends the storm: a generator busy reading must still stop on time.
  const deadline = sleep((request.startUs - nowUs()) / 1000 + request.timeoutMs);
  await Promise.race([Promise.all(opening), deadline]);
  const allDone = (async (): Promise<void> => {
    while (remaining > 0) await sleep(10);
  })();
  await Promise.race([allDone, deadline]);
  remaining = 0;
  const cpuUsed = process.cpuUsage(cpuStart);
  for (const socket of sockets) socket.destroy();
  return { doneUs, replayedEvents, framesReceived, notRecovered, failed, cpuUs: cpuUsed.user + cpuUsed.system, errors: errors.list() };
}
