/**
 * Idle connections: resident memory of the server process per open (and, for
 * tiny-chat, joined) socket, measured after a full collection before and
 * after connecting them.
 */
import type { Sizes } from '../config.js';
import type { Kind } from '../loadgen/clients.js';
import type { Measure } from '../lib/results.js';
import { withSession, type RunOptions } from '../lib/session.js';

interface Memory {
  rss: number;
  heapUsed: number;
}

export async function connections(
  kind: Kind,
  sizes: Sizes,
  opts: RunOptions,
): Promise<Measure & { heapPerConnection: number }> {
  return withSession(kind, opts, async (s) => {
    const before = await s.server.request<Memory>('memory');
    const { connected } = await s.loadgen.request<{ connected: number }>('idle', {
      kind,
      url: s.url,
      count: sizes.connections,
      roomSize: sizes.roomSize,
    });
    const held = await s.server.request<number>('connections');
    const after = await s.server.request<Memory>('memory');
    const warnings: string[] = [];
    if (connected !== sizes.connections || held !== sizes.connections) {
      warnings.push(`${connected} of ${sizes.connections} connected, the server holds ${held}`);
    }
    await s.loadgen.request('closeAll');
    return {
      value: (after.rss - before.rss) / held,
      heapPerConnection: (after.heapUsed - before.heapUsed) / held,
      warnings,
    };
  });
}
