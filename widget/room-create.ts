/**
 * Making a new room from the widget, and the proof of work a server may ask
 * for on the way (or, through room-controller.ts, on a join). Both load their
 * code on first use (lazy.ts), and most visitors never need either, so they
 * live apart from the room model that every visit runs.
 *
 * It must never leave an error on show for work the user cancelled (the work
 * view offers Try again), and it joins the new room only once the server has
 * made it; a room that cannot be made leaves the create button for another try.
 */
import { load, type Chunks } from './lazy.js';
import type { PowWork } from './pow/index.js';
import type { RoomController } from './room-controller.js';
import type { RoomHost } from './room-host.js';
import { askForToken } from './token.js';

/**
 * Creates a room (signed-in only when asked and possible) and joins it. The
 * creation code loads on this first use; when it cannot, that is told like a
 * server out of reach.
 */
export async function createRoom(model: RoomController, host: RoomHost, signInOnly: boolean): Promise<void> {
  let chunk: Chunks['create'] | undefined;
  try {
    chunk = await load('create');
    // The room's owner is this browser's key (docs/widget.md, "Moderation"); the creator moderates, so the
    // moderation chunk that signs the claim would load right after anyway.
    const identity = await model.self.ensure(model.wishedName ?? '');
    const roomId = await chunk.createRoom(model.serverUrl, {
      claim: (ts) => load('moderation').then((moderation) => moderation.ownerClaim(identity, ts)),
      requireAuth: model.hasTokenSource && signInOnly,
      token: (refused) => askForToken(host, refused),
      work: async (refusal) => (await powWork(model, host)).create(refusal, () => void model.createRoom(signInOnly)),
    });
    model.stop();
    model.dead = undefined;
    model.errors.clear();
    host.room = roomId;
    // The page address becomes the share link, so a reload stays in the room.
    if (host.roomParam) history.replaceState(history.state, '', model.shareUrl);
    model.start();
  } catch (err) {
    // Work cancelled (the view offers Try again) or ended by stop(): no error on top.
    if ((err as Error).name === 'AbortError') return;
    const refused = chunk && err instanceof chunk.CreateRoomError ? err : undefined;
    if (refused?.code === 'auth-required') model.fail(refused.code, { key: 'errorSignInToCreate' });
    else if (refused) model.fail(refused.code, { temporary: refused.temporary });
    else model.fail('cannot-connect', { category: 'error', temporary: true });
  }
}

/** The proof-of-work chunk's model, loaded the first time a server asks for work (to join, or to create a room). */
export async function powWork(model: RoomController, host: RoomHost): Promise<PowWork> {
  const { PowWork } = await load('pow');
  return (model.work ??= new PowWork(host));
}
