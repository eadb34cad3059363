/**
 * The widget's footer: who you are here (name, key fingerprint, "New
 * identity") and the room menu, with the transcript export behind it. It
 * lives apart from the element because the export loads a chunk of its own
 * (lazy.ts) and the element needs to keep only what that chunk showed.
 *
 * It must never offer an export without a room and a key to sign it with.
 */
import { html, nothing } from 'lit';
import { load } from './lazy.js';
import type { RoomController } from './room-controller.js';
import { identityTemplate, roomMenuTemplate } from './room-templates.js';
import type { Strings } from './strings.js';

/** The footer, once there is an identity; the room menu only while a live room's timeline is on show. */
export function footerTemplate(
  model: RoomController,
  t: Strings,
  exported: unknown,
  exportNow: () => void,
  newIdentity: () => void,
): unknown {
  const id = model.self.identity;
  if (!id) return nothing;
  const menu =
    model.timeline && !model.dead ? roomMenuTemplate(t, exported, exportNow, model.mod?.roomTools(t)) : nothing;
  return identityTemplate(
    model.myName ?? id.name,
    model.members.fingerprintOf(id.pub),
    t,
    () => {
      if (confirm(t.newIdentityConfirm)) newIdentity();
    },
    menu,
  );
}

/**
 * Saves the room's transcript, signed for by this key; the export code loads
 * on this first use. Resolves with what to show after it: the chunk's view,
 * or a failure in plain words. Undefined without a room or a key.
 */
export function saveTranscript(
  model: RoomController,
  roomId: string | undefined,
  t: Strings,
): Promise<unknown> | undefined {
  const identity = model.self.identity;
  if (!roomId || !identity) return undefined;
  const source = { server: model.serverUrl, roomId, identity };
  return load('export')
    .then((chunk) => chunk.exportTranscript(source, t))
    .then(
      (view) => view,
      () => html`<p role="alert">${t.exportFailed}</p>`,
    );
}
