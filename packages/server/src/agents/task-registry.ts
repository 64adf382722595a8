import type { AgentTask, AgentTaskStatus } from '@herald/protocol';
import { ulid } from 'ulid';

export type { AgentTask };
export type TaskStatus = AgentTaskStatus;

const FINAL: ReadonlySet<TaskStatus> = new Set(['completed', 'failed', 'cancelled']);

/**
 * Agent tasks by id, in memory: the newest `maxTasks` are kept (finished
 * ones are dropped first), so a long-running server holds a bounded set.
 * Every status change is reported through `onChange` (the
 * `agents.task_status` event); a finished task never changes again.
 */
export class TaskRegistry {
  private readonly tasks = new Map<string, AgentTask>();

  constructor(
    private readonly onChange: (task: AgentTask) => void,
    private readonly maxTasks = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  create(fields: { agent: string; session_id: string; user: string; org: string | undefined }): AgentTask {
    const at = new Date(this.now()).toISOString();
    const task: AgentTask = {
      task_id: `task_${ulid()}`,
      agent: fields.agent,
      status: 'queued',
      session_id: fields.session_id,
      user: fields.user,
      created_at: at,
      updated_at: at,
      chunks: 0,
    };
    if (fields.org !== undefined) task.org = fields.org;
    this.tasks.set(task.task_id, task);
    this.evict();
    this.onChange({ ...task });
    return task;
  }

  /** Moves a task on; ignored once it finished. */
  setStatus(taskId: string, status: TaskStatus, error?: { code: string; message: string }): void {
    const task = this.tasks.get(taskId);
    if (!task || FINAL.has(task.status) || task.status === status) return;
    task.status = status;
    task.updated_at = new Date(this.now()).toISOString();
    if (error) task.error = error;
    this.onChange({ ...task });
  }

  countChunk(taskId: string): void {
    const task = this.tasks.get(taskId);
    if (task) task.chunks++;
  }

  get(taskId: string): AgentTask | undefined {
    const task = this.tasks.get(taskId);
    return task && { ...task };
  }

  /** Newest first, those `visible` accepts, at most `limit`. */
  list(visible: (task: AgentTask) => boolean, limit: number): AgentTask[] {
    const out: AgentTask[] = [];
    for (const task of [...this.tasks.values()].reverse()) {
      if (out.length >= limit) break;
      if (visible(task)) out.push({ ...task });
    }
    return out;
  }

  private evict(): void {
    if (this.tasks.size <= this.maxTasks) return;
    for (const [id, task] of this.tasks) {
      if (this.tasks.size <= this.maxTasks) return;
      if (FINAL.has(task.status)) this.tasks.delete(id);
    }
    // Everything still running: the oldest go anyway, the bound holds.
    for (const id of this.tasks.keys()) {
      if (this.tasks.size <= this.maxTasks) return;
      this.tasks.delete(id);
    }
  }
}
