/**
 * The contract between a room's socket (room-socket.ts) and the rest of the
 * widget: the connection states, what the socket tells its room
 * (RoomSocketHandler), and what a joined socket offers the outbox (Session).
 * Types only; the socket keeps the promises written here.
 */
import type {
  ChatMessage,
  ErrorFrame,
  HistoryPageFrame,
  Limits,
  MembersPageFrame,
  ModerationFrame,
  PresenceFrame,
  WelcomeFrame,
} from '../protocol/frames.js';

export type ConnectionState = 'connecting' | 'online' | 'offline' | 'closed';

/** A joined socket, as the outbox sees it: gone for good once the socket drops. */
export interface Session {
  /** The name the server assigned in this room. */
  readonly name: string;
  /** serverTime − local time, from hello, so a stamp passes the server's skew check. */
  readonly clockOffset: number;
  readonly limits: Limits;
  /** False once this socket is no longer the current one. */
  readonly live: () => boolean;
  send(frame: object): void;
}

export interface RoomSocketHandler {
  state(state: ConnectionState): void;
  /** `replaced`: the messages are a fresh snapshot, not a continuation of what the client held. */
  welcome(frame: WelcomeFrame, replaced: boolean, session: Session): void;
  /** Messages in order, each once. */
  message(message: ChatMessage): void;
  /** A moderation action, in the same order as messages, each once. */
  moderation(frame: ModerationFrame): void;
  ack(id: string): void;
  presence(frame: PresenceFrame): void;
  history(frame: HistoryPageFrame): void;
  /** A page of the member list, answering a `members` frame. */
  members(frame: MembersPageFrame): void;
  /** Someone else in the room is typing. */
  typing(name: string): void;
  /** An error answering a frame other than the join (`ref` is the message id when it answers a send). */
  error(frame: ErrorFrame): void;
  /** A join refused for a while, or the server unreachable: the socket keeps trying. */
  trouble(code: string, category: string, temporary: boolean): void;
  /** Closed for good (room gone, join refused, removed): nothing more will come; a kick says for how long. */
  closed(code: string, retryAfterMs?: number): void;
  /** The socket went away; anything in flight on it may or may not have arrived. */
  dropped(): void;
}
