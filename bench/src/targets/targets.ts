import { heraldTarget } from './herald-target.js';
import { natsTarget } from './nats-target.js';
import { socketIoTarget, wsOnceTarget, wsSendTarget } from './node-peer-target.js';
import type { Target, TargetId } from './target.js';

/** All targets, Herald first. */
export const TARGETS: Record<TargetId, Target> = {
  herald: heraldTarget,
  'ws-once': wsOnceTarget,
  'ws-send': wsSendTarget,
  'socket.io': socketIoTarget,
  nats: natsTarget,
};
