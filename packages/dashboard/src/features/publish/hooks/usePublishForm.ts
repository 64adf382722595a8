import { useMemo, useState } from 'react';
import type { EventTypeDefinition, Priority, Severity } from '@herald/protocol';
import { HeraldError, type PublishResult } from '@herald/client';
import { useSession } from '../../../realtime/session-context';
import { checkJson, EVENT_TYPE } from '../json-check';

export interface PublishDraft {
  type: string;
  severity: Severity;
  priority: Priority;
  source: string;
  correlationId: string;
  data: string;
}

const INITIAL: PublishDraft = {
  type: 'test',
  severity: 'info',
  priority: 'normal',
  source: 'dashboard',
  correlationId: '',
  data: '{\n  "message": "Hello from the dashboard"\n}',
};

/** Sample data for a registry type: one value per field it filters on, so the event exercises them. */
export function exampleData(definition: EventTypeDefinition | undefined): string {
  const data: Record<string, unknown> = {};
  for (const field of definition?.filterable_fields ?? []) {
    if (!field.path.startsWith('data.')) continue;
    const key = field.path.slice('data.'.length);
    data[key] = field.type === 'number' ? 1 : (field.options?.[0] ?? 'example');
  }
  if (Object.keys(data).length === 0) data.message = `A ${definition?.label ?? 'test'} event from the dashboard`;
  return JSON.stringify(data, null, 2);
}

/** The publish form's state, its validation as you type, and the send. */
export function usePublishForm() {
  const session = useSession();
  const [draft, setDraft] = useState<PublishDraft>(INITIAL);
  const [status, setStatus] = useState<
    { state: 'idle' | 'sending' } | { state: 'done'; result: PublishResult } | { state: 'failed'; message: string }
  >({ state: 'idle' });
  const json = useMemo(() => checkJson(draft.data), [draft.data]);
  const typeError =
    draft.type.trim() === ''
      ? 'Give the event a type.'
      : EVENT_TYPE.test(draft.type.trim())
        ? undefined
        : 'Use dot-separated words of letters, digits, "_" or "-", such as repo.commit.created.';
  const isValid = json.ok && !typeError;

  const update = (change: Partial<PublishDraft>) => setDraft((d) => ({ ...d, ...change }));

  const publish = async () => {
    if (!json.ok || typeError) return;
    setStatus({ state: 'sending' });
    try {
      const result = await session.client.publish({
        type: draft.type.trim(),
        severity: draft.severity,
        priority: draft.priority,
        ...(draft.source.trim() ? { source: draft.source.trim() } : {}),
        ...(draft.correlationId.trim() ? { correlation_id: draft.correlationId.trim() } : {}),
        data: json.value,
      });
      setStatus({ state: 'done', result });
    } catch (err) {
      const message = err instanceof HeraldError ? `${err.message} (${err.code})` : (err as Error).message;
      setStatus({ state: 'failed', message });
    }
  };

  return { draft, update, json, typeError, isValid, status, publish };
}
