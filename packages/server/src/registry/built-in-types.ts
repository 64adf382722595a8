import type { EventTypeDefinition, FilterableField } from '@herald/protocol';

/** Category ids and labels, in the order the dashboard shows them. */
export const BUILT_IN_CATEGORIES: ReadonlyArray<{ id: string; label: string }> = [
  { id: 'mcp', label: 'MCP' },
  { id: 'agent', label: 'Agents' },
  { id: 'user', label: 'Users' },
  { id: 'system', label: 'System' },
  { id: 'kv', label: 'KV store' },
  { id: 'audit', label: 'Audit & connections' },
  { id: 'dashboard', label: 'Dashboard' },
  { id: 'claude', label: 'Claude sessions' },
  { id: 'repo', label: 'Repositories' },
  { id: 'github', label: 'GitHub' },
  { id: 'graphql', label: 'GraphQL' },
  { id: 'performance', label: 'Performance' },
];

const ALL_SEVERITIES: EventTypeDefinition['severity_levels'] = ['debug', 'info', 'success', 'warning', 'error', 'critical'];

const severityField: FilterableField = {
  name: 'severity',
  label: 'Severity',
  type: 'multiselect',
  path: 'severity',
  options: ['debug', 'info', 'success', 'warning', 'error', 'critical'],
};
const priorityField: FilterableField = {
  name: 'priority',
  label: 'Priority',
  type: 'multiselect',
  path: 'priority',
  options: ['low', 'normal', 'high', 'critical'],
};
const sourceField: FilterableField = { name: 'source', label: 'Source', type: 'text', path: 'source' };
const mcpNames: FilterableField = { name: 'mcp_names', label: 'MCP servers', type: 'multiselect', path: 'data.mcp_name' };
const mcpStatus = ['active', 'inactive', 'degraded', 'disabled', 'unknown'];
const userRoles: FilterableField = {
  name: 'user_roles',
  label: 'User roles',
  type: 'multiselect',
  path: 'data.user_role',
  options: ['admin', 'developer', 'operator', 'viewer'],
};
const agentField: FilterableField = { name: 'agents', label: 'Agents', type: 'multiselect', path: 'data.agent' };

function def(
  id: string,
  category: string,
  label: string,
  description: string,
  icon: string,
  fields: FilterableField[],
  severity_levels = ALL_SEVERITIES,
): EventTypeDefinition {
  return { id, category, label, description, icon, severity_levels, filterable_fields: fields };
}

/** The built-in event types, with the filters the subscription builder offers. */
export const BUILT_IN_EVENT_TYPES: ReadonlyArray<EventTypeDefinition> = [
  def('mcp_status_change', 'mcp', 'MCP status change', 'An MCP server went active, degraded, inactive or disabled.', '🔴', [
    mcpNames,
    { name: 'old_status', label: 'Old status', type: 'select', path: 'data.old_status', options: mcpStatus },
    { name: 'new_status', label: 'New status', type: 'select', path: 'data.new_status', options: mcpStatus },
    severityField,
  ]),
  def('circuit_breaker_state', 'mcp', 'Circuit breaker state', "An MCP server's circuit breaker opened, half-opened or closed.", '⚡', [
    mcpNames,
    { name: 'circuit_state', label: 'Circuit state', type: 'select', path: 'data.state', options: ['open', 'half_open', 'closed'] },
    severityField,
  ]),
  def('mcp_health_check', 'mcp', 'MCP health check', 'The result of a health check of an MCP server.', '🏥', [
    mcpNames,
    { name: 'health_status', label: 'Health status', type: 'select', path: 'data.status', options: ['healthy', 'unhealthy', 'timeout'] },
    severityField,
  ]),
  def('mcp_auto_disabled', 'mcp', 'MCP auto-disabled', 'An MCP server was disabled after repeated failures.', '⛔', [
    mcpNames,
    { name: 'min_failure_cycles', label: 'Min failure cycles', type: 'number', path: 'data.failure_cycles', operator: 'gte' },
  ]),
  def('mcp.tool.called', 'mcp', 'MCP tool called', 'A tool of an MCP server was called (server, tool, user, duration_ms, outcome).', '🛠️', [
    { name: 'mcp_servers', label: 'MCP servers', type: 'multiselect', path: 'data.server' },
    { name: 'mcp_tool', label: 'Tool', type: 'text', path: 'data.tool' },
    { name: 'outcome', label: 'Outcome', type: 'select', path: 'data.outcome', options: ['ok', 'error', 'timeout', 'cancelled'] },
  ]),
  def('user_login', 'user', 'User login', 'A user logged in.', '🔑', [userRoles], ['info', 'warning', 'error']),
  def('user_action', 'user', 'User action', 'A user performed an action.', '👤', [
    { name: 'action_type', label: 'Action type', type: 'select', path: 'data.action_type', options: ['create', 'update', 'delete', 'view', 'execute'] },
    userRoles,
  ]),
  def('agent_request', 'agent', 'Agent request', 'An agent received a request.', '📨', [agentField, sourceField, priorityField]),
  def('agent_response', 'agent', 'Agent response', 'An agent sent a response.', '💬', [agentField, sourceField, priorityField]),
  def('agent_error', 'agent', 'Agent error', 'An agent ran into an error.', '💥', [agentField, sourceField, priorityField, severityField], [
    'warning',
    'error',
    'critical',
  ]),
  def('agents.task_status', 'agent', 'Agent task status', 'An agent task changed status (task_id, status, agent).', '📋', [
    agentField,
    { name: 'task_status', label: 'Status', type: 'multiselect', path: 'data.status', options: ['queued', 'running', 'completed', 'failed', 'cancelled'] },
  ]),
  def('kv.updated', 'kv', 'KV updated', 'A key of the KV store was set or deleted (key, op).', '🗝️', [
    { name: 'kv_key', label: 'Key', type: 'text', path: 'data.key' },
    { name: 'kv_op', label: 'Operation', type: 'select', path: 'data.op', options: ['set', 'delete'] },
  ]),
  def('system_health', 'system', 'System health', 'A health report of a component.', '🩺', [
    { name: 'component', label: 'Component', type: 'text', path: 'data.component' },
    severityField,
  ]),
  def('metrics', 'system', 'Metrics', "Herald's own metrics, published every few seconds.", '📈', []),
  def('alerts', 'system', 'Alerts', 'A system alert.', '🚨', [severityField, priorityField]),
  def('metrics_update', 'system', 'Metrics update', 'KV store and artifact metrics changed.', '📊', []),
  def('activity_update', 'system', 'Activity update', 'A system activity entry.', '📝', [
    { name: 'activity_type', label: 'Type', type: 'select', path: 'data.type', options: ['info', 'success', 'warning', 'error'] },
  ]),
  def('connection', 'dashboard', 'Connection', 'A WebSocket connection event.', '🔌', []),
  def('test', 'dashboard', 'Test event', 'A test event published from the dashboard or the CLI.', '🧪', [sourceField, priorityField]),
  def('claude.*', 'claude', 'Claude session events', 'claude.session.started, claude.session.completed, claude.command.executed, …', '🤖', [
    { name: 'session_id', label: 'Session', type: 'text', path: 'data.sessionId' },
  ]),
  def('repo.*', 'repo', 'Repository events', 'repo.commit.created, repo.push.completed, repo.scan.completed, …', '📦', [
    { name: 'repository', label: 'Repository', type: 'text', path: 'data.repository' },
  ]),
  def('github.*', 'github', 'GitHub API events', 'github.api.started, github.api.completed, github.workflow.triggered, …', '🐙', []),
  def('graphql.*', 'graphql', 'GraphQL events', 'graphql.query.started, graphql.mutation.completed, …', '🔷', [
    { name: 'operation', label: 'Operation', type: 'text', path: 'data.operationName' },
  ]),
  def('performance.*', 'performance', 'Performance events', 'performance.slowOperation.detected, …', '🐢', [
    { name: 'min_duration_ms', label: 'Min duration (ms)', type: 'number', path: 'data.duration_ms', operator: 'gte' },
  ]),
  def('connection.*', 'audit', 'Connection lifecycle', 'connection.opened and connection.closed (with reason).', '🔌', []),
  def('audit.*', 'audit', 'Audit trail', 'audit.login, audit.auth_failed, audit.permission_denied, audit.context_switch, …', '🛡️', [
    { name: 'actor', label: 'Actor', type: 'text', path: 'data.actor' },
  ]),
  // Admin-only like the audit trail: they name webhook URLs, which only admins configure.
  def('webhook.*', 'audit', 'Webhook events', 'webhook.failed (an event dead-lettered) and webhook.disabled (the receiver answered 410 Gone).', '🪝', [
    { name: 'webhook_id', label: 'Webhook', type: 'text', path: 'data.webhook_id' },
  ]),
];
