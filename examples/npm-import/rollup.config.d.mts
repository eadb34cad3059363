// Types for the example's rollup config, so the test that builds it type-checks.
import type { RollupOptions } from 'rollup';
declare const config: RollupOptions;
export default config;
