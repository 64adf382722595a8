import { describeBusContract } from './bus.contract.js';
import { MemoryBus } from './memory-bus.js';

describeBusContract(
  'memory',
  async () => ({
    makeNodes: (count) => Array.from({ length: count }, () => new MemoryBus()),
    cleanup: async () => undefined,
  }),
  { isCluster: false },
);
