/**
 * The reactive properties of <tiny-chat> and the attributes they follow: the
 * element's public configuration (documented, one line each, on
 * TinyChatElement's fields) and its internal view state. Kept apart from the
 * class so that the attribute names, which are public API, read as one list.
 * Changing a name here changes the element's API.
 */
import type { PropertyDeclarations } from 'lit';

export const properties: PropertyDeclarations = {
  server: { type: String },
  room: { type: String, reflect: true },
  name: { type: String },
  theme: { type: String, reflect: true },
  roomParam: { type: String, attribute: 'room-param' },
  profile: { type: String },
  strings: { attribute: false },
  token: { attribute: false },
  getToken: { attribute: false },
  noTyping: { type: Boolean, attribute: 'no-typing' },
  titleBadge: { type: Boolean, attribute: 'title-badge' },
  sound: { type: Boolean },
  // Internal view state: redraws on change, no attribute.
  nameError: { state: true },
  copied: { state: true },
  signInOnly: { state: true },
  membersOpen: { state: true },
  exported: { state: true },
};
