export {
  EVENT_TYPE_PATTERN,
  MAX_EVENT_TYPE_LENGTH,
  SEVERITIES,
  PRIORITIES,
  eventTypeSchema,
  severitySchema,
  prioritySchema,
  heraldEventSchema,
} from './event.js';
export type { Severity, Priority, HeraldEvent, EventDraft } from './event.js';
export {
  TYPE_PATTERN_PATTERN,
  FILTER_OPERATORS,
  typePatternSchema,
  filterValueSchema,
  filtersSchema,
} from './filters.js';
export type { Scalar, FilterOperator, FilterOperators, FilterValue, Filters } from './filters.js';
export { MAX_EVENT_ID_LENGTH, publishEventInputSchema, normalizePublishInput, splitPublishBody } from './publish.js';
export type { PublishEventInput } from './publish.js';
export {
  DEFAULT_HISTORY_LIMIT,
  MAX_HISTORY_LIMIT,
  historyQueryInputSchema,
  normalizeHistoryQuery,
  parseDuration,
} from './history.js';
export type { HistoryQuery, HistoryPage } from './history.js';
export type { HistoryQueryInput, KeyCount, EventStats, MetricsSnapshot } from './http.js';
export {
  BUILT_IN_ACTIONS,
  MAX_PATTERNS_PER_SUBSCRIPTION,
  MAX_FRAME_DEPTH,
  subscribeParamsSchema,
  unsubscribeParamsSchema,
  decodeClientMessage,
  decodeClientValue,
} from './client-messages.js';
export type { ClientMessage, BuiltInAction, RequestId, SubscribeParams, SinceValue } from './client-messages.js';
export type {
  ServerMessage,
  ConnectedMessage,
  SubscriptionInfo,
  ErrorMessage,
  ErrorBody,
  CallFrameBase,
  CallResultMessage,
  CallChunkMessage,
  CallCompleteMessage,
} from './server-messages.js';
export { FIELD_KINDS, filterableFieldSchema, eventTypeDefinitionInputSchema } from './registry.js';
export type {
  FieldKind,
  FilterableField,
  EventTypeDefinition,
  EventTypeDefinitionInput,
  CategoryMetadata,
  RegistryMetadata,
} from './registry.js';
export { KV_MAX_VALUE_BYTES, KV_KEY_PATTERN } from './agents.js';
export type { AgentInfo, AgentTask, AgentTaskStatus, AgentSendResult, KvItem, KvPage } from './agents.js';
export {
  WEBHOOK_FORMATS,
  DEFAULT_WEBHOOK_MAX_ATTEMPTS,
  DEFAULT_WEBHOOK_TIMEOUT_MS,
  webhookInputSchema,
} from './webhooks.js';
export type {
  WebhookFormat,
  WebhookInput,
  WebhookDefinitionInput,
  WebhookStatus,
  WebhookInfo,
  WebhookDeliveryStatus,
  WebhookDelivery,
} from './webhooks.js';
export { ERROR_CODES, CLOSE_CODES, shouldReconnect, httpStatusFor } from './errors.js';
export type { ErrorCode, CloseReason } from './errors.js';
export { formatPath, problemsFromZod, describeProblems } from './issues.js';
export type { ValidationProblem } from './issues.js';
export { ok, fail } from './result.js';
export type { DecodeResult, DecodeError } from './result.js';

export type { McpStatus, McpCircuitState, McpHealthCheck, McpServerSummary, McpToolInfo, McpToolResult } from './mcp.js';

/** Version of the WebSocket protocol described in docs/protocol.md. */
export const PROTOCOL_VERSION = 1;
