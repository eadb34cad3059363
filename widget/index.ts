/**
 * Public entry point of `tiny-chat/widget` and of the script-tag bundle:
 * importing it defines <tiny-chat>.
 */
export { TinyChatElement } from './tiny-chat.js';
export { DEFAULT_STRINGS, type Strings, type StringKey } from './strings.js';
export type { ExportStrings } from './export/strings.js';
export type {
  TinyChatErrorDetail,
  TinyChatEventMap,
  TinyChatMessageDetail,
  TinyChatReadyDetail,
  TinyChatTokenNeededDetail,
  TinyChatUnreadDetail,
} from './events.js';
export type { GetToken } from './token.js';
export type { ConnectionState } from './room-socket.js';
