import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { AgentInfo, AgentTask } from '@herald/protocol';
import { Button } from '../../../components/ui/Button';
import { Panel } from '../../../components/ui/Panel';
import { EmptyState, ErrorState } from '../../../components/ui/States';
import { useAgentChat, type ChatMessage } from '../hooks/useAgentChat';
import { useAgents } from '../hooks/useAgents';
import { useTasks } from '../hooks/useTasks';

/** Pick an agent, chat with it (replies stream in), and watch its tasks. */
export function AgentsView() {
  const agents = useAgents();
  const [picked, setPicked] = useState<string>();
  const available = (agents.data ?? []).filter((a) => a.is_available);
  const current = picked ?? available[0]?.name;
  const tasks = useTasks();
  const chat = useAgentChat(current, tasks.refresh);

  if (agents.error) {
    return (
      <div className="view">
        <ErrorState title="Could not list the agents" actions={<Button onClick={agents.retry}>Try again</Button>}>
          <p>{agents.error.message}</p>
        </ErrorState>
      </div>
    );
  }
  if (!agents.isLoading && (agents.data ?? []).length === 0) {
    return (
      <div className="view">
        <EmptyState title="No agents yet" icon="bolt">
          <p>
            Add an agent backend under <code>agents.backends</code> in the config file. To try one: run{' '}
            <code>node examples/echo-agent.mjs</code> and start Herald with <code>--config examples/herald.config.yaml</code>.
          </p>
        </EmptyState>
      </div>
    );
  }
  return (
    <div className="view agents-view">
      <Panel title="Agents" className="agent-list">
        <ul role="listbox" aria-label="Agents" data-testid="agent-list">
          {(agents.data ?? []).map((a) => (
            <AgentOption key={a.name} agent={a} isSelected={a.name === current} onPick={() => setPicked(a.name)} />
          ))}
        </ul>
      </Panel>
      <Panel
        title={current ? `Chat with ${current}` : 'Chat'}
        className="chat"
        actions={
          <Button size="sm" variant="ghost" onClick={chat.clear} disabled={chat.messages.length === 0}>
            Clear
          </Button>
        }
      >
        <ChatLog messages={chat.messages} />
        <ChatInput disabled={!current || chat.isSending} onSend={(text) => void chat.send(text)} />
      </Panel>
      <Panel title="Tasks" className="grid-wide">
        <TaskTable tasks={tasks.tasks} />
        {tasks.error && <p className="field-error">{tasks.error}</p>}
      </Panel>
    </div>
  );
}

function AgentOption({ agent, isSelected, onPick }: { agent: AgentInfo; isSelected: boolean; onPick: () => void }) {
  return (
    <li
      role="option"
      aria-selected={isSelected}
      aria-disabled={!agent.is_available}
      className="agent-option"
      tabIndex={agent.is_available ? 0 : -1}
      onClick={() => agent.is_available && onPick()}
      onKeyDown={(e) => {
        if ((e.key === 'Enter' || e.key === ' ') && agent.is_available) {
          e.preventDefault();
          onPick();
        }
      }}
      data-testid={`agent-${agent.name}`}
    >
      <strong>{agent.name}</strong>
      <span className="field-hint">
        {agent.description || (agent.has_definition ? 'No description' : 'Backend without a definition file')}
      </span>
      {!agent.is_available && <span className="field-error">No backend answers it</span>}
    </li>
  );
}

function ChatLog({ messages }: { messages: ChatMessage[] }) {
  const end = useRef<HTMLDivElement>(null);
  useEffect(() => {
    end.current?.scrollIntoView?.({ block: 'end' });
  }, [messages]);
  if (messages.length === 0) return <p className="field-hint chat-log">Say something; the reply streams in as the agent writes it.</p>;
  return (
    <div className="chat-log" role="log" aria-live="polite" aria-label="Conversation" data-testid="chat-log">
      {messages.map((m) => (
        <div key={m.id} className={`chat-msg chat-msg-${m.role}`} data-state={m.state} data-testid={`chat-${m.role}`}>
          <span className="chat-text">{m.text || (m.state === 'streaming' ? '…' : '')}</span>
          {m.state === 'failed' && <span className="field-error">{m.error}</span>}
          {m.role === 'agent' && m.taskId && <span className="field-hint">{m.taskId}</span>}
        </div>
      ))}
      <div ref={end} />
    </div>
  );
}

function ChatInput({ disabled, onSend }: { disabled: boolean; onSend: (text: string) => void }) {
  const id = useId();
  const [text, setText] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (text.trim() === '' || disabled) return;
    onSend(text.trim());
    setText('');
  };
  return (
    <form className="chat-input" onSubmit={submit}>
      <label htmlFor={id} className="sr-only">
        Message
      </label>
      <input
        id={id}
        className="input"
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder="Message the agent"
        autoComplete="off"
        data-testid="chat-input"
      />
      <Button type="submit" variant="primary" icon="send" disabled={disabled || text.trim() === ''} data-testid="chat-send">
        Send
      </Button>
    </form>
  );
}

const STATUS_LABEL: Record<AgentTask['status'], string> = {
  queued: 'Queued',
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

function TaskTable({ tasks }: { tasks: AgentTask[] }) {
  if (tasks.length === 0) return <p className="field-hint">No tasks yet: each message sent to an agent is one.</p>;
  return (
    <div className="table-wrap">
      <table data-testid="task-table">
        <thead>
          <tr>
            <th>Task</th>
            <th>Agent</th>
            <th>Status</th>
            <th className="num">Chunks</th>
            <th>Started</th>
          </tr>
        </thead>
        <tbody>
          {tasks.map((t) => (
            <tr key={t.task_id} data-testid="task-row" data-task-id={t.task_id}>
              <td>
                <code>{t.task_id}</code>
              </td>
              <td>{t.agent}</td>
              <td>
                <span
                  className="pill"
                  data-state={
                    t.status === 'failed' || t.status === 'cancelled' ? 'failed' : t.status === 'completed' ? 'active' : 'pending'
                  }
                  title={t.error?.message}
                >
                  {STATUS_LABEL[t.status]}
                </span>
              </td>
              <td className="num">{t.chunks}</td>
              <td>{new Date(t.created_at).toLocaleTimeString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
