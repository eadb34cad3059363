/**
 * The Room menu's "Banned" list: who is banned, as far as the entries this
 * visit holds tell (a `ban` not followed by an `unban` of the same key), each
 * with an Unban button. A banned member is gone from the member list, so this
 * is the only place a ban can be undone. No confirmation: an unban is itself
 * undone by banning again. An entry leaves the list when the server's
 * `moderation` frame for the unban arrives (it joins the timeline, which the
 * list is derived from), not on the click, so a refusal leaves it in place.
 */
import { html, nothing } from 'lit';
import type { PublicKey } from '../../protocol/keys.js';
import type { ActionEntry } from '../../protocol/moderation.js';
import type { AllStrings } from './rows.js';
import type { SessionState } from './session.js';

export interface Banned {
  readonly target: PublicKey;
  readonly name: string;
}

/** The keys banned now, in the order they were banned, by the entries held that did not fail their check. */
export function bannedOf(state: SessionState, t: AllStrings): Banned[] {
  const banned = new Map<string, PublicKey>();
  const entries = state.ctx.visit.timeline.messages
    .filter((s) => s.verified !== false && !s.gone && 'kind' in s.message && s.message.kind === 'action')
    .map((s) => s.message as ActionEntry)
    .sort((a, b) => a.seq - b.seq);
  for (const { action: a } of entries) {
    if (a.act === 'ban') banned.set(a.target.pub, a.target);
    else if (a.act === 'unban') banned.delete(a.target.pub);
  }
  return [...banned.values()].map((target) => ({ target, name: state.nameOf(target.pub) ?? t.someone }));
}

export class BannedList {
  /** The key just unbanned from here, until its entry leaves the list. */
  #unbanning: string | undefined;

  constructor(readonly state: SessionState) {}

  render(t: AllStrings): unknown {
    const { state } = this;
    // A moderator may not unban a moderator (the server says `forbidden`): only the owner may.
    const list = bannedOf(state, t).filter((b) => state.isOwner || !state.standing.isModerator(b.target.pub));
    this.#refocus(list);
    if (list.length === 0) return nothing;
    const unban = (b: Banned): void => {
      this.#unbanning = b.target.pub;
      void state.act({ act: 'unban', target: b.target });
    };
    return html`<div class="banned">
      <span id="banned-label">${t.banned}</span>
      <ul aria-labelledby="banned-label">
        ${list.map(
          (b) =>
            html`<li>
              <bdi>${b.name}</bdi>
              <button type="button" class="quiet" @click=${() => unban(b)}>
                ${t.unban}<span class="vh"> <bdi>${b.name}</bdi></span>
              </button>
            </li>`,
        )}
      </ul>
    </div>`;
  }

  /** Once the unbanned entry is gone, focus (if it went with its button) goes to the list's next button or the menu. */
  #refocus(list: readonly Banned[]): void {
    const pub = this.#unbanning;
    if (pub === undefined || list.some((b) => b.target.pub === pub)) return;
    this.#unbanning = undefined;
    const { host } = this.state.ctx;
    void host.updateComplete.then(() => {
      const root = host.shadowRoot!;
      if (root.activeElement) return;
      root.querySelector<HTMLElement>('.banned button, .mod-room button')?.focus();
    });
  }
}
