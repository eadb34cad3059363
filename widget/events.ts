/**
 * The widget's typed events. All bubble and cross the shadow boundary
 * (`composed`), so a host page can listen on the element or any ancestor.
 */
import type { ChatMessage, Member } from '../protocol/frames.js';

export interface TinyChatMessageDetail {
  readonly message: ChatMessage;
  /** The signature verified against the sender's key as the server gave it. */
  readonly verified: boolean;
  /** Sent by this identity. */
  readonly own: boolean;
  /** The fingerprint of the key it was signed with (keys.ts), as the verified mark shows it. */
  readonly fingerprint: string;
}

export interface TinyChatErrorDetail {
  /** A code from docs/errors.md, or `cannot-connect` when the server cannot be reached. */
  readonly code: string;
  /** Plain words, from the widget's strings. */
  readonly message: string;
  readonly temporary: boolean;
}

export interface TinyChatTokenNeededDetail {
  /** Why: `auth-required` (no token sent) or the `token-*` code of the token refused. */
  readonly code: string;
}

export interface TinyChatReadyDetail {
  readonly roomId: string;
  /** The name the server assigned in this room. */
  readonly name: string;
  readonly fingerprint: string;
}

export interface TinyChatUnreadDetail {
  /** Messages from others that arrived while the tab was hidden or the list was scrolled up. */
  readonly count: number;
}

export interface TinyChatEventMap {
  'tiny-chat-message': CustomEvent<TinyChatMessageDetail>;
  'tiny-chat-join': CustomEvent<Member>;
  'tiny-chat-leave': CustomEvent<Member>;
  'tiny-chat-error': CustomEvent<TinyChatErrorDetail>;
  'tiny-chat-ready': CustomEvent<TinyChatReadyDetail>;
  'tiny-chat-token-needed': CustomEvent<TinyChatTokenNeededDetail>;
  'tiny-chat-unread': CustomEvent<TinyChatUnreadDetail>;
}

type Detail<K extends keyof TinyChatEventMap> = TinyChatEventMap[K] extends CustomEvent<infer D> ? D : never;

export function emit<K extends keyof TinyChatEventMap>(target: EventTarget, type: K, detail: Detail<K>): void {
  target.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
}

declare global {
  // Declaration merging: adds the events to the DOM's map, so addEventListener is typed.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface HTMLElementEventMap extends TinyChatEventMap {}
}
