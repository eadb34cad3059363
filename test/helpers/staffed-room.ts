/**
 * The cast of most moderation tests: a room owned by `owner`, with `mod`
 * promoted by the owner and `member` joined, each on its own socket.
 */
import * as assert from 'uvu/assert';
import { newIdentity, type Identity, type TestClient } from './client.js';
import { createOwnedRoom, moderate, outcome } from './moderation.js';
import { connect, type RoomContext } from './room-suite.js';

export interface StaffedRoom {
  readonly owner: TestClient;
  readonly mod: TestClient;
  readonly member: TestClient;
}

export async function staffedRoom(ctx: RoomContext, ownerId: Identity = newIdentity()): Promise<StaffedRoom> {
  ctx.roomId = await createOwnedRoom(ctx.srv.url, ownerId);
  const owner = await connect(ctx, ownerId);
  const mod = await connect(ctx);
  const member = await connect(ctx);
  await owner.join(ctx.roomId, 'olga');
  await mod.join(ctx.roomId, 'mo');
  await member.join(ctx.roomId, 'mem');
  assert.is(outcome(await moderate(owner, { act: 'promote', target: mod.identity.key })), 'ack');
  return { owner, mod, member };
}
