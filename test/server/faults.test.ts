/**
 * server/socket/faults.ts: a client's broken WebSocket frames are the
 * client's fault. A real server logs through pino into the test while raw
 * TCP clients send what ws refuses; no line may be at warn (40) or above,
 * each fault is one debug line without a stack, the close code names the
 * fault (docs/protocol.md), and the metrics count it.
 */
import { Writable } from 'node:stream';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryStorage } from '../../adapters/memory.js';
import type { Storage } from '../../adapters/types.js';
import { createServer } from '../../server/index.js';
import { rawFrame, rawSession } from '../helpers/raw-socket.js';
import { UNTHROTTLED } from '../helpers/server.js';
import { sourceVerifyPool } from '../helpers/verify-pool.js';
import type { FastifyInstance } from 'fastify';

interface LogLine {
  level: number;
  msg: string;
  fault?: string;
  err?: { stack?: string };
}

interface Ctx {
  app: FastifyInstance;
  url: string;
  storage: Storage;
  lines: LogLine[];
}

const test = suite<Ctx>('client faults on the socket');

test.before.each(async (ctx) => {
  ctx.lines = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n')) if (l.trim()) ctx.lines.push(JSON.parse(l) as LogLine);
      done();
    },
  });
  ctx.storage = await createMemoryStorage();
  ctx.app = await createServer({
    ...UNTHROTTLED,
    storage: ctx.storage,
    verifier: sourceVerifyPool(),
    metrics: true,
    closeGraceMs: 200,
    maxFrameBytes: 1024,
    logger: { level: 'debug', stream: sink },
  });
  await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  const address = ctx.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  ctx.url = `http://127.0.0.1:${address.port}`;
});

test.after.each(async (ctx) => {
  await ctx.app.close();
  await ctx.storage.close();
});

const text = (s: string): Buffer => Buffer.from(s, 'utf8');

const CASES: { name: string; frame: Buffer; close: number; fault: string }[] = [
  // What a client asking for permessage-deflate (never negotiated) would send.
  {
    name: 'compressed (RSV1)',
    frame: rawFrame(1, text('{"type":"typing"}'), { rsv1: true }),
    close: 1002,
    fault: 'unexpected_rsv_1',
  },
  {
    name: 'invalid UTF-8',
    frame: rawFrame(1, Buffer.from([0x7b, 0xff, 0xfe, 0x7d])),
    close: 1007,
    fault: 'invalid_utf8',
  },
  {
    name: 'over 4x maxFrameBytes',
    frame: rawFrame(1, Buffer.alloc(4 * 1024 + 1, 0x61)),
    close: 1009,
    fault: 'unsupported_message_length',
  },
  { name: 'unmasked', frame: rawFrame(1, text('{}'), { mask: false }), close: 1002, fault: 'expected_mask' },
  { name: 'unknown opcode', frame: rawFrame(3, text('x')), close: 1002, fault: 'invalid_opcode' },
];

for (const c of CASES) {
  test(`${c.name}: closed ${c.close}, one debug line without a stack, nothing at warn or above`, async (ctx) => {
    const result = await rawSession(ctx.url, [c.frame]);
    assert.is(result.closeCode, c.close);
    // The close is answered after the socket's own close handling; give the log a turn.
    await new Promise((r) => setTimeout(r, 50));
    const loud = ctx.lines.filter((l) => l.level >= 40);
    assert.equal(loud, [], JSON.stringify(loud));
    const faults = ctx.lines.filter((l) => l.fault !== undefined);
    assert.equal(
      faults.map((l) => [l.level, l.fault]),
      [[20, c.fault]],
    );
    assert.is(faults[0]!.err, undefined, 'no error object, so no stack');
    const scrape = await (await fetch(`${ctx.url}/metrics`)).text();
    assert.match(scrape, `tinychat_client_faults_total{kind="${c.fault}"} 1`);
  });
}

test('a burst of malformed clients writes nothing at warn or above', async (ctx) => {
  await Promise.all(Array.from({ length: 20 }, (_, i) => rawSession(ctx.url, [CASES[i % CASES.length]!.frame])));
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(
    ctx.lines.filter((l) => l.level >= 40),
    [],
  );
  assert.is(ctx.lines.filter((l) => l.fault !== undefined).length, 20);
});

test.run();
