// The library surface of @herald/server: start Herald inside your own process
// and add tools of your own to the `call` action.
export { startHerald } from './herald.js';
export type { HeraldHandle, StartOptions } from './herald.js';
export { configSchema } from './config/config-schema.js';
export type { HeraldConfig, HeraldConfigInput, LimitsConfig } from './config/config-schema.js';
export { loadConfig } from './config/load-config.js';
export type { LoadConfigOptions } from './config/load-config.js';
export { HeraldError, ConfigError } from './errors/herald-error.js';
export type { Tool, ToolContext, ToolChunk, Caller } from './tools/tool.js';
export type { Identity } from './auth/identity.js';
