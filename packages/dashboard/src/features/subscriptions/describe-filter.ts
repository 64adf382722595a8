/** Field names as people say them; others are shown as written, `data.` dropped and `_` as spaces. */
const FIELD_WORDS: Record<string, string> = {
  type: 'Type',
  source: 'Source',
  severity: 'Severity',
  priority: 'Priority',
  org: 'Org',
  correlation_id: 'Correlation id',
  mcp_names: 'MCP server',
  agents: 'Agent',
};

const quote = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/** `a`, `a or b`, `a, b or c`. */
function anyOf(values: readonly unknown[]): string {
  const words = values.map(quote);
  return words.length <= 1 ? (words[0] ?? 'nothing') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

function operatorWords(op: string, v: unknown): string {
  const list = Array.isArray(v) ? v : [v];
  switch (op) {
    case 'eq':
      return `is ${quote(v)}`;
    case 'ne':
      return `is not ${quote(v)}`;
    case 'in':
      return list.length === 1 ? `is ${quote(list[0])}` : `is ${anyOf(list)}`;
    case 'nin':
      return list.length === 1 ? `is not ${quote(list[0])}` : `is neither ${anyOf(list).replace(/ or /, ' nor ')}`;
    case 'gt':
      return `is more than ${quote(v)}`;
    case 'gte':
      return `is at least ${quote(v)}`;
    case 'lt':
      return `is less than ${quote(v)}`;
    case 'lte':
      return `is at most ${quote(v)}`;
    case 'contains':
      return `contains "${quote(v)}"`;
    case 'prefix':
      return `starts with "${quote(v)}"`;
    case 'exists':
      return v === false ? 'is absent' : 'is present';
    default:
      return `${op} ${quote(v)}`;
  }
}

/** The name of a filter key in words: `type` → `Type`, `data.user_id` → `user id`. */
export function describeFilterName(name: string): string {
  return FIELD_WORDS[name] ?? name.replace(/^data\./, '').replace(/_/g, ' ');
}

/**
 * One filter as a sentence a person reads at a glance, as a subscription
 * card shows it: `{type: {nin: ['metrics']}}` → "Type is not metrics",
 * `{severity: ['error', 'critical']}` → "Severity is error or critical".
 */
export function describeFilter(name: string, value: unknown): string {
  const subject = describeFilterName(name);
  if (Array.isArray(value)) return `${subject} is ${anyOf(value)}`;
  if (value !== null && typeof value === 'object') {
    return `${subject} ${Object.entries(value as Record<string, unknown>)
      .map(([op, v]) => operatorWords(op, v))
      .join(' and ')}`;
  }
  return `${subject} is ${quote(value)}`;
}
