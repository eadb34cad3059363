/**
 * The template of a joined room's conversation: the message list (day
 * separators, groups, notices, the outbox, "Show earlier messages", an empty
 * room's welcome), the new-messages pill over it, and the member list beside
 * it (folded behind a toggle at narrow widths). It only reads what it is
 * given; the element wires the actions.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { timeline as rows, type TimeFormats } from './grouping.js';
import type { Members } from './members.js';
import type { ModerationSession } from './moderation/index.js';
import { noticeText } from './notices.js';
import type { Outgoing } from './outbox.js';
import { pillTemplate } from './room-templates.js';
import type { Strings } from './strings.js';
import { memberTemplate, messageTemplate, outgoingTemplate, type OutboxActions } from './templates.js';
import type { Timeline, TimelineItem } from './timeline.js';

export interface ConversationView {
  /** The name the server assigned, once joined. */
  readonly me: string | undefined;
  /** The name the outbox shows under before the first join. */
  readonly wished: string;
  readonly timeline: Timeline | undefined;
  readonly outgoing: readonly Outgoing[];
  readonly members: Members;
  readonly membersOpen: boolean;
  readonly formats: TimeFormats;
  /** An empty room's welcome (with the share link), or nothing. */
  readonly welcome: TemplateResult | typeof nothing;
  /** Messages that arrived below the view while reading older ones. */
  readonly newCount: number;
  readonly outbox: OutboxActions;
  /** The moderation chunk's part of the visit, once loaded: it draws actions, tombstones and staff tools. */
  readonly mod: ModerationSession | undefined;
  loadEarlier(): void;
  /** The member list reached its end, or shows and does not follow the room yet: fetch on (members.ts). */
  moreMembers(): void;
  scrolled(): void;
  toBottom(): void;
}

/** The room is joined and has nothing in it yet: the view invites the first message. */
export function isEmptyRoom(
  timeline: Timeline | undefined,
  me: string | undefined,
  outgoing: readonly Outgoing[],
): boolean {
  return (
    !!timeline &&
    me !== undefined &&
    timeline.messages.length === 0 &&
    !timeline.hasEarlier &&
    !timeline.gap &&
    outgoing.length === 0
  );
}

/** Notices, actions and tombstones sit between messages with no sender, so they also end a group. */
const timed = (item: TimelineItem): { name: string; at: number } => {
  const e = item.kind === 'message' ? item.entry.message : item;
  return { name: 'text' in e ? e.name : '', at: e.at };
};

/** Within a screenful of the end: scrolling on fetches the next page before the reader gets there. */
const nearEnd = (el: HTMLElement): boolean => el.scrollTop + 2 * el.clientHeight >= el.scrollHeight;

export function conversationTemplate(view: ConversationView, strings: Strings): TemplateResult {
  const { me, members, timeline, formats, mod } = view;
  const shown = rows(timeline?.items ?? [], timed, strings, formats).map((row) =>
    row.kind === 'day'
      ? html`<li class="day">${row.label}</li>`
      : row.item.kind === 'notice'
        ? html`<li part="notice" class="notice" data-id=${row.item.id}>${noticeText(row.item, strings)}</li>`
        : 'kind' in row.item.entry.message
          ? mod?.row(row.item.entry, strings, formats)
          : messageTemplate(
              row.item.entry,
              row.item.entry.message.name === me,
              row.cont,
              members.fingerprintOf(row.item.entry.message.key.pub),
              strings,
              formats,
              mod?.messageTools(row.item.entry, strings),
            ),
  );
  const loadEarlier = (): void => view.loadEarlier();
  return html`<div class="main">
    <div class="feed">
      <div
        part="messages"
        class="messages"
        role="log"
        aria-live="polite"
        aria-label=${strings.messages}
        tabindex="0"
        @scroll=${view.scrolled}
      >
        ${timeline?.hasEarlier ? html`<button type="button" class="quiet earlier" @click=${loadEarlier}>${strings.earlier}</button>` : nothing}
        ${view.welcome}
        <ol>
          ${timeline?.gap ? html`<li class="gap">${strings.historyGap}</li>` : nothing} ${shown}
          ${view.outgoing.map((o) => outgoingTemplate(o, me ?? view.wished, strings, view.outbox))}
        </ol>
      </div>
      ${pillTemplate(view.newCount, strings, () => view.toBottom())}
    </div>
    <section
      id="members"
      part="members"
      class=${view.membersOpen ? 'members open' : 'members'}
      aria-label=${strings.members}
      tabindex="0"
      @scroll=${(e: Event) => nearEnd(e.target as HTMLElement) && view.moreMembers()}
    >
      <h3>${strings.members} (${members.count})</h3>
      <ul>
        ${members.list.map((m) =>
          memberTemplate(
            m.name,
            members.fingerprintOf(m.key.pub),
            m.name === me,
            strings,
            mod?.memberTools(m, strings),
          ),
        )}
      </ul>
      ${members.more ? html`<button type="button" class="quiet more" @click=${view.moreMembers}>${strings.morePeople}</button>` : nothing}
    </section>
  </div>`;
}
