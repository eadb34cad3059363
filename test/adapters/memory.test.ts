import { createMemoryStorage } from '../../adapters/memory.js';
import { testSuite } from './contract.js';

testSuite('memory', async () => {
  const storage = await createMemoryStorage();
  return [storage, () => storage.close()];
});
