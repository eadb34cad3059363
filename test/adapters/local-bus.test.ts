import { createLocalEventBus } from '../../adapters/local-bus.js';
import { busSuite } from './bus-contract.js';

// Servers in one process share one local bus: both handles are the same object.
busSuite('local', async () => {
  const bus = await createLocalEventBus();
  return [bus, bus, () => bus.close()];
});
