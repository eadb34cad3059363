/**
 * Storage apart from the network: the append micro-benchmark (per adapter,
 * main-thread CPU and bytes written per message) and the long-room scenario
 * (one room streams many messages; the append cost at its end against its
 * start). Each run is a fresh storage process (bench/storage/append.ts).
 */
import { startChild } from '../lib/child.js';
import type { AppendArgs, AppendReport } from '../storage/append.js';

export async function appendRun(args: AppendArgs): Promise<AppendReport> {
  const child = await startChild(`${args.storage} append`, '../storage/append.ts', []);
  try {
    return await child.request<AppendReport>('run', args);
  } finally {
    await child.stop();
  }
}
