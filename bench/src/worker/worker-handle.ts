import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { WorkerEnvelope, WorkerReply, WorkerRequest } from './messages.js';

const workerScript = fileURLToPath(new URL('./worker.js', import.meta.url));

/** The coordinator's side of one load generator process. */
export class WorkerHandle {
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  #nextId = 1;

  private constructor(child: ChildProcess) {
    this.#child = child;
    child.on('message', (reply: WorkerReply) => {
      const waiter = this.#pending.get(reply.id);
      if (waiter === undefined) return;
      this.#pending.delete(reply.id);
      if (reply.error !== undefined) waiter.reject(new Error(reply.error));
      else waiter.resolve(reply.result);
    });
    child.on('exit', (code, signal) => {
      for (const waiter of this.#pending.values()) waiter.reject(new Error(`generator exited (${code ?? signal})`));
      this.#pending.clear();
    });
  }

  /** Starts a generator process. */
  static spawn(): WorkerHandle {
    return new WorkerHandle(fork(workerScript, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] }));
  }

  get pid(): number {
    return this.#child.pid ?? -1;
  }

  /** Sends a request; rejects after `timeoutMs` so no step of a run can hang. */
  call<T>(request: WorkerRequest, timeoutMs: number): Promise<T> {
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`generator did not answer "${request.cmd}" within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value as T);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.#child.send({ id, request } satisfies WorkerEnvelope);
    });
  }

  /** Ends the process (its sockets die with it). */
  kill(): void {
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill('SIGKILL');
  }
}

/** Starts `count` generators. */
export function spawnWorkers(count: number): WorkerHandle[] {
  return Array.from({ length: count }, () => WorkerHandle.spawn());
}

/** Kills every generator in the list. */
export function killWorkers(workers: WorkerHandle[]): void {
  for (const worker of workers) worker.kill();
}
