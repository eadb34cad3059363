/**
 * The proof-of-work of server/pow.ts on a real server and real sockets: off
 * by default; when on, stated in `hello` and in the refusal, asked of an
 * anonymous creation (each challenge good for one room, for five minutes)
 * and of a join by a key without a name in the room, but not of its rejoin.
 */
import { createHash } from 'node:crypto';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { leadingZeroBits, powCreateBytes, powJoinBytes, solvePow, type PowJoinFields } from '../../protocol/pow.js';
import { TestClient } from '../helpers/client.js';
import { createRoom, startServer, type Running } from '../helpers/server.js';

const BITS = 10;
const sha = (b: Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(b).digest());
const digest = async (b: Uint8Array): Promise<Uint8Array> => sha(b);
const meets = (b: Uint8Array): boolean => leadingZeroBits(sha(b)) >= BITS;

async function post(srv: Running, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${srv.url}/rooms`, {
    method: 'POST',
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Creates a room the way a client must when work is asked: refused, solve, again. */
async function createWithWork(srv: Running): Promise<string> {
  const asked = await post(srv);
  const challenge = String(asked.body['challenge']);
  const solution = await solvePow((s) => powCreateBytes(challenge, s), BITS, digest);
  const made = await post(srv, { pow: { challenge, solution } });
  assert.is(made.status, 201);
  return String(made.body['roomId']);
}

const fields = (c: TestClient, roomId: string): PowJoinFields => ({
  roomId,
  nonce: c.nonce,
  alg: c.identity.key.alg,
  pub: c.identity.key.pub,
});

const test = suite('proof of work');

test('off by default: hello states nothing, creation and join ask nothing', async () => {
  const srv = await startServer();
  try {
    const c = await TestClient.connect(srv.url);
    assert.not.ok('pow' in c.frames[0]!);
    await c.join(await createRoom(srv.url), 'amy');
    c.close();
  } finally {
    await srv.stop();
  }
});

test('creation: refused with the difficulty and a challenge; its solution creates that room once', async () => {
  const srv = await startServer({ proofOfWork: BITS });
  try {
    const asked = await post(srv);
    assert.is(asked.status, 401);
    assert.is(asked.body['code'], 'proof-of-work-required');
    assert.is(asked.body['difficulty'], BITS);
    const challenge = String(asked.body['challenge']);
    assert.match(challenge, new RegExp(`^[A-Za-z0-9_-]{22}\\.${srv.clock.now()}$`));
    // A solution that does not meet the difficulty.
    let weak = 0;
    while (meets(powCreateBytes(challenge, String(weak)))) weak++;
    const bad = await post(srv, { pow: { challenge, solution: String(weak) } });
    assert.equal([bad.status, bad.body['code']], [400, 'proof-of-work-invalid']);

    const solution = await solvePow((s) => powCreateBytes(challenge, s), BITS, digest);
    const made = await post(srv, { pow: { challenge, solution } });
    assert.is(made.status, 201);
    assert.is(made.body['roomId'], challenge.split('.')[0]);
    const again = await post(srv, { pow: { challenge, solution } });
    assert.equal([again.status, again.body['code']], [400, 'proof-of-work-invalid']);

    // A challenge is good for five minutes.
    const later = String((await post(srv)).body['challenge']);
    const laterSolution = await solvePow((s) => powCreateBytes(later, s), BITS, digest);
    srv.clock.advance(5 * 60_000 + 1);
    const stale = await post(srv, { pow: { challenge: later, solution: laterSolution } });
    assert.equal([stale.status, stale.body['code']], [400, 'proof-of-work-invalid']);
  } finally {
    await srv.stop();
  }
});

test('join: a new key owes work over its own socket nonce; its rejoin does not', async () => {
  const srv = await startServer({ proofOfWork: BITS });
  try {
    const roomId = await createWithWork(srv);
    const amy = await TestClient.connect(srv.url);
    assert.is((amy.frames[0] as { pow?: number }).pow, BITS);
    amy.sendJson(amy.joinFrame(roomId, 'amy'));
    const owed = await amy.next('error');
    assert.equal([owed.code, (owed as { difficulty?: number }).difficulty], ['proof-of-work-required', BITS]);

    // Work done for another socket's nonce does not pay for this one.
    const other = await TestClient.connect(srv.url, amy.identity);
    let n = 0;
    while (
      !meets(powJoinBytes(fields(other, roomId), String(n))) ||
      meets(powJoinBytes(fields(amy, roomId), String(n)))
    )
      n++;
    amy.sendJson({ ...amy.joinFrame(roomId, 'amy'), pow: String(n) });
    assert.is((await amy.next('error')).code, 'proof-of-work-invalid');
    other.close();

    // The socket is still open, and its own work lets it in.
    const pow = await solvePow((s) => powJoinBytes(fields(amy, roomId), s), BITS, digest);
    amy.sendJson({ ...amy.joinFrame(roomId, 'amy'), pow });
    assert.is((await amy.next('welcome')).name, 'amy');
    amy.close();

    // The same key again, on a new socket, holds its name already: no work.
    const back = await TestClient.connect(srv.url, amy.identity);
    assert.is((await back.join(roomId, 'amy')).name, 'amy');
    back.close();
  } finally {
    await srv.stop();
  }
});

test.run();
