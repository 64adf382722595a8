import type { DialectSpec } from '../dialects/dialect.js';

/** Every target the bench knows, in table order (Herald first). */
export const TARGET_IDS = ['herald', 'ws-once', 'ws-send', 'socket.io', 'nats'] as const;
export type TargetId = (typeof TARGET_IDS)[number];

/** How a target is started for one run. */
export interface TargetStartOptions {
  /** S9: accept permessage-deflate when clients offer it. */
  isDeflate: boolean;
  /** A fresh temporary folder for this run. */
  workDir: string;
  /** Connections the server must be able to hold (raises its open-files limit when allowed). */
  maxConnections: number;
}

/** A started target. */
export interface RunningTarget {
  pid: number;
  spec: DialectSpec;
  /** What the table should know about this run (e.g. a raised limit). */
  notes: string[];
  /** Connections the server's open-files limit allows. */
  connectionCapacity: number;
  stop(): Promise<void>;
}

/** A server the bench can start and load. */
export interface Target {
  id: TargetId;
  /** One line: what this target stands for. */
  summary: string;
  /** Features beyond fan-out; a missing one shows as n/a. */
  hasDurableAck: boolean;
  hasHistory: boolean;
  hasResume: boolean;
  /** How S4's per-subscriber filters are done here. */
  filterMode: string;
  /** Why the target cannot run on this machine, or undefined when it can. */
  unavailableReason(): string | undefined;
  start(options: TargetStartOptions): Promise<RunningTarget>;
}
