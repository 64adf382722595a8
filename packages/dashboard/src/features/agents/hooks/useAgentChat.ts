import { useCallback, useRef, useState } from 'react';
import { useSession } from '../../../realtime/session-context';

/** One line of the conversation. */
export interface ChatMessage {
  id: number;
  role: 'user' | 'agent';
  text: string;
  /** For agent replies: streaming until `complete`, or the error that ended it. */
  state: 'streaming' | 'done' | 'failed';
  taskId?: string;
  error?: string;
}

/** Messages kept per conversation; older ones scroll away. */
const MAX_MESSAGES = 200;

/**
 * A conversation with one agent: each message goes out with `agents.send`
 * and its reply grows chunk by chunk. The server keeps one session per
 * connection and agent, so follow-ups share context.
 */
export function useAgentChat(agent: string | undefined, onTaskChange: () => void) {
  const session = useSession();
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [isSending, setIsSending] = useState(false);
  const nextId = useRef(1);

  const patch = (id: number, change: Partial<ChatMessage> | ((m: ChatMessage) => Partial<ChatMessage>)) =>
    setMessages((list) => list.map((m) => (m.id === id ? { ...m, ...(typeof change === 'function' ? change(m) : change) } : m)));

  const send = useCallback(
    async (text: string) => {
      if (!agent || text.trim() === '') return;
      const userId = nextId.current++;
      const replyId = nextId.current++;
      setMessages((list) =>
        [
          ...list,
          { id: userId, role: 'user' as const, text, state: 'done' as const },
          { id: replyId, role: 'agent' as const, text: '', state: 'streaming' as const },
        ].slice(-MAX_MESSAGES),
      );
      setIsSending(true);
      const reply = session.client.agents.send(agent, text);
      try {
        let isFirst = true;
        for await (const chunk of reply) {
          if (isFirst) {
            isFirst = false;
            onTaskChange();
          }
          const piece = typeof chunk.content === 'string' ? chunk.content : JSON.stringify(chunk.content);
          patch(replyId, (m) => ({ text: m.text + piece, taskId: chunk.taskId ?? m.taskId }));
        }
        const result = await reply.result;
        patch(replyId, (m) => ({ state: 'done', taskId: result.task_id, text: m.text || result.content }));
      } catch (err) {
        patch(replyId, { state: 'failed', error: (err as Error).message, taskId: reply.taskId });
      } finally {
        setIsSending(false);
        onTaskChange();
      }
    },
    [agent, session, onTaskChange],
  );

  const clear = useCallback(() => setMessages([]), []);
  return { messages, send, isSending, clear };
}
