/**
 * What the room model (room-controller.ts) reads from its element: the
 * element's public configuration, its strings, and the Lit host it asks to
 * redraw. The element implements it; nothing else should.
 */
import type { ReactiveControllerHost } from 'lit';
import type { PowStrings } from './pow/strings.js';
import type { Strings } from './strings.js';
import type { GetToken, TokenHost } from './token.js';

export interface RoomHost extends ReactiveControllerHost, TokenHost {
  readonly isConnected: boolean;
  server: string | undefined;
  room: string | undefined;
  name: string | undefined;
  roomParam: string;
  profile: string;
  token: string | undefined;
  getToken: GetToken | undefined;
  noTyping: boolean;
  titleBadge: boolean;
  sound: boolean;
  readonly text: Strings;
  /** The host page's own overrides, for the words a chunk carries (pow/strings.ts). */
  readonly strings: Partial<PowStrings>;
}
