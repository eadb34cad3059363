/**
 * The owner's and moderators' tools: Remove on a message, a "Moderate"
 * disclosure on each member (Remove for 10 min, Ban, Make or Remove
 * moderator), and the room's tools in the footer's Room menu (Lock, Slow
 * mode, the Banned list with Unban (banned.ts), End room). Shown only to staff, and only what their standing allows
 * (the server checks again). Everything is a native button or disclosure,
 * so the keyboard reaches it all; what cannot be undone (Remove, Remove for
 * 10 min, Ban, End room) asks first in a modal <dialog>: focus moves into it
 * (on Cancel), Escape cancels and focus goes back where it was; once
 * confirmed, focus goes to the message field (what it was on is about to go).
 */
import { html, nothing } from 'lit';
import type { ChatMessage, Member } from '../../protocol/frames.js';
import type { ModerationAction } from '../../protocol/moderation.js';
import { fill } from '../strings.js';
import type { ShownMessage } from '../timeline.js';
import { BannedList } from './banned.js';
import type { AllStrings } from './rows.js';
import { interval } from './rows.js';
import { KICKS_MS, type SessionState } from './session.js';

/** The slow-mode choices offered, in ms (0 is off). */
const SLOW = [0, 10_000, 30_000, 60_000, 300_000];

interface Confirm {
  readonly question: string;
  /** The detail under the question (the message's text for a removal). */
  readonly detail: string;
  /** The confirm button's words. */
  readonly verb: string;
  readonly action: ModerationAction;
  /** Where focus was when the dialog opened. */
  readonly from: Element | null;
}

export class Tools {
  #confirm: Confirm | undefined;
  readonly #banned: BannedList;

  constructor(readonly state: SessionState) {
    this.#banned = new BannedList(state);
  }

  get #root(): ShadowRoot {
    return this.state.ctx.host.shadowRoot!;
  }

  /** Opens the confirmation for `action`, then shows it modal once drawn. */
  async #ask(question: string, detail: string, verb: string, action: ModerationAction): Promise<void> {
    this.#confirm = { question, detail, verb, action, from: this.#root.activeElement };
    this.state.ctx.redraw();
    await this.state.ctx.host.updateComplete;
    this.#root.querySelector<HTMLDialogElement>('dialog.confirm')?.showModal();
  }

  /** Closes the dialog (confirmed or not) and puts focus back. */
  #close = (confirmed: boolean): void => {
    const open = this.#confirm;
    if (!open) return;
    this.#confirm = undefined;
    this.#root.querySelector<HTMLDialogElement>('dialog.confirm')?.close();
    this.state.ctx.redraw();
    // Cancelled: back where it was. Done: what it was on (a message, a member) is about to go, so the message field.
    const back = confirmed ? this.#root.querySelector<HTMLElement>('#input') : (open.from as HTMLElement | null);
    back?.focus();
    if (confirmed) void this.state.act(open.action);
  };

  /** "Remove" at the end of a message, for staff. */
  message(shown: ShownMessage, t: AllStrings): unknown {
    if (!this.state.isStaff || shown.gone) return nothing;
    const m = shown.message as ChatMessage;
    const remove = (): void =>
      void this.#ask(t.confirmRemove, m.text, t.removeMessage, { act: 'remove', seq: m.seq, chain: m.chain });
    return html`<div class="actions mod">
      <button type="button" part="moderate-button" class="quiet" @click=${remove}>
        ${t.removeMessage}<span class="vh"> ${fill(t.removeMessageOf, { name: m.name })}</span>
      </button>
    </div>`;
  }

  /** The "Moderate" disclosure on a member: what this user's standing allows against that member. */
  member(member: Member, t: AllStrings): unknown {
    const { state } = this;
    const pub = member.key.pub;
    if (!state.isStaff || pub === state.me || state.standing.isOwner(pub)) return nothing;
    const targetIsMod = state.standing.isModerator(pub);
    // A moderator may not act on another moderator: only the owner may.
    if (targetIsMod && !state.isOwner) return nothing;
    const target = member.key;
    const name = member.name;
    const kick = (forMs: number): void =>
      void this.#ask(fill(t.confirmKick, { name, duration: interval(forMs) }), t.confirmKickDetail, t.kickVerb, {
        act: 'kick',
        target,
        forMs,
      });
    // Unique within the shadow root: one member's tools name their own group.
    const kickLabel = `kick-${pub}`;
    const ban = (): void =>
      void this.#ask(fill(t.confirmBan, { name }), t.confirmBanDetail, t.ban, { act: 'ban', target });
    const staffing = (): void => void state.act({ act: targetIsMod ? 'demote' : 'promote', target });
    return html`<details class="member-tools">
      <summary>
        ${t.memberActions}<span class="vh"> <bdi>${name}</bdi></span>
      </summary>
      <div class="actions">
        <div role="group" aria-labelledby=${kickLabel} class="kick">
          <span id=${kickLabel}>${t.kick}</span>
          ${KICKS_MS.map((ms) => html`<button type="button" class="quiet" @click=${() => kick(ms)}>${interval(ms)}</button>`)}
        </div>
        <button type="button" class="quiet danger" @click=${ban}>${t.ban}</button>
        ${state.isOwner ? html`<button type="button" class="quiet" @click=${staffing}>${targetIsMod ? t.demote : t.promote}</button>` : nothing}
      </div>
    </details>`;
  }

  /** The room's tools in the Room menu: lock, slow mode, who is banned, and (owner only) end. */
  room(t: AllStrings): unknown {
    const { state } = this;
    const staff = state.ctx.visit.room;
    if (!state.isStaff || !staff) return nothing;
    const lock = (): void => void state.act({ act: staff.locked ? 'unlock' : 'lock' });
    const end = (): void => void this.#ask(t.confirmEnd, t.confirmAction, t.endRoom, { act: 'end' });
    return html`<div class="mod-room">
      <button type="button" class="quiet" aria-pressed=${staff.locked ? 'true' : 'false'} @click=${lock}>
        ${staff.locked ? t.unlock : t.lock}
      </button>
      <div role="group" aria-labelledby="slow-label" class="slow">
        <span id="slow-label">${t.slowMode}</span>
        ${SLOW.map(
          (ms) =>
            html`<button
              type="button"
              class="quiet"
              aria-pressed=${staff.slowModeMs === ms ? 'true' : 'false'}
              @click=${() => void state.act({ act: 'slow', intervalMs: ms })}
            >
              ${ms === 0 ? t.slowOff : interval(ms)}
            </button>`,
        )}
      </div>
      ${this.#banned.render(t)}
      ${state.isOwner ? html`<button type="button" class="quiet danger" @click=${end}>${t.endRoom}</button>` : nothing}
    </div>`;
  }

  /** The confirmation dialog when one is open, and the last refusal (with a way to dismiss it). */
  dialog(t: AllStrings): unknown {
    const open = this.#confirm;
    const problem = this.state.problem;
    return html`${
      problem
        ? html`<div class="mod-problem">
            <p part="error" class="error" role="alert">${t[problem]}</p>
            <button type="button" class="quiet" @click=${() => this.state.dismiss()}>${t.ok}</button>
          </div>`
        : nothing
    }
    ${
      open
        ? html`<dialog
            class="confirm"
            part="confirm"
            aria-labelledby="confirm-q"
            aria-describedby="confirm-detail"
            @cancel=${(e: Event) => {
              e.preventDefault();
              this.#close(false);
            }}
          >
            <p id="confirm-q" class="question">${open.question}</p>
            <p id="confirm-detail" class="detail">${open.detail}</p>
            <div class="actions">
              <button type="button" class="quiet" autofocus @click=${() => this.#close(false)}>${t.cancel}</button>
              <button type="button" class="danger" @click=${() => this.#close(true)}>${open.verb}</button>
            </div>
          </dialog>`
        : nothing
    }`;
  }
}
