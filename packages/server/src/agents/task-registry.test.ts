import { describe, expect, it } from 'vitest';
import { type AgentTask, TaskRegistry } from './task-registry.js';

const fields = { agent: 'echo', session_id: 's1', user: 'u', org: 'acme' };

describe('TaskRegistry', () => {
  it('reports each status change once and freezes a finished task', () => {
    const seen: AgentTask['status'][] = [];
    const tasks = new TaskRegistry((t) => seen.push(t.status));
    const t = tasks.create(fields);
    tasks.setStatus(t.task_id, 'running');
    tasks.setStatus(t.task_id, 'running');
    tasks.setStatus(t.task_id, 'failed', { code: 'upstream_error', message: 'HTTP 500' });
    tasks.setStatus(t.task_id, 'completed');
    expect(seen).toEqual(['queued', 'running', 'failed']);
    expect(tasks.get(t.task_id)).toMatchObject({ status: 'failed', error: { code: 'upstream_error' }, org: 'acme' });
  });

  it('keeps at most maxTasks, dropping finished tasks before running ones', () => {
    const tasks = new TaskRegistry(() => undefined, 3);
    const running = tasks.create(fields);
    tasks.setStatus(running.task_id, 'running');
    const done = tasks.create(fields);
    tasks.setStatus(done.task_id, 'completed');
    const a = tasks.create(fields);
    const b = tasks.create(fields);
    expect(tasks.get(done.task_id)).toBeUndefined();
    expect([running, a, b].map((t) => tasks.get(t.task_id)?.task_id)).toEqual([running.task_id, a.task_id, b.task_id]);
    expect(tasks.list(() => true, 10).map((t) => t.task_id)).toEqual([b.task_id, a.task_id, running.task_id]);
  });
});
