/**
 * Every word the widget shows, in one table, so a host page can translate or
 * reword any of them through the `strings` property. Values are plain text:
 * they are rendered as text, never as HTML. A `{name}` in braces is filled in
 * by the widget (a number of seconds, a count, a limit).
 */

export const DEFAULT_STRINGS = {
  title: 'Chat',
  createRoom: 'Create a room',
  signInOnly: 'Only signed-in people can join',
  noRoom: 'No room yet. Create one and share its link.',
  shareLink: 'Share this link to invite people',
  emptyRoom: 'No messages yet. Say hello!',
  copy: 'Copy link',
  copied: 'Copied',
  chooseName: 'Your name',
  nameRules: 'At most {max} characters, and no invisible or direction-changing characters.',
  join: 'Join',
  messageLabel: 'Message',
  messagePlaceholder: 'Write a message…',
  typingOne: '{name} is typing…',
  typingMany: '{count} people are typing…',
  send: 'Send',
  members: 'Members',
  person: '1 person',
  people: '{count} people',
  morePeople: 'Show more people',
  messages: 'Messages',
  you: 'you',
  fingerprint: 'Key fingerprint',
  newIdentity: 'New identity',
  identity: 'Identity',
  roomMenu: 'Room',
  exportTranscript: 'Export transcript',
  exportFailed: 'The transcript could not be saved. Try again.',
  newIdentityConfirm: 'Forget this key and name, and start as someone new?',
  verifiedTitle: 'Verified: signed with the key {fingerprint}',
  unverified: 'unverified',
  unverifiedTitle: 'This message’s signature, sender’s key or place in the room’s history does not check out.',
  queued: 'waiting to send',
  sending: 'sending',
  failed: 'not sent',
  failedExpired: 'not sent: it waited too long',
  retry: 'Retry',
  dismiss: 'Dismiss',
  noticeJoined: '{names} joined',
  noticeLeft: '{names} left',
  noticeAnd: ' and ',
  noticeCount: '{count} people',
  noticeKeyChanged: '{name}’s key changed',
  noticeHistoryChanged: 'The room’s history changed on the server.',
  noticeHistoryChangedOne: 'The message marked below is gone from it.',
  noticeHistoryChangedMany: 'The {count} messages marked below are gone from it.',
  goneMark: 'no longer in the room',
  goneTitle: 'The server no longer holds this message: the room’s history changed after you saw it.',
  historyGap: 'Earlier messages are no longer available.',
  earlier: 'Show earlier messages',
  newMessage: '1 new message ↓',
  newMessages: '{count} new messages ↓',
  today: 'Today',
  yesterday: 'Yesterday',
  statusConnecting: 'Connecting…',
  statusOnline: 'Connected',
  statusOffline: 'Offline: reconnecting…',
  statusClosed: 'Closed',
  statusNoNetwork: 'Offline',
  youAreOffline: 'You are offline.',
  startNewRoom: 'Start a new room',
  droppedUnsent: 'Messages not sent, now dropped: {count}.',
  errorTooLong: 'That message is too long.',
  errorRateLimited: 'You are sending too fast. Wait a moment.',
  errorRateLimitedWait: 'You are sending too fast. Wait {seconds} s.',
  errorRoomExpired: 'This room has expired.',
  errorRoomClosed: 'This room was closed.',
  errorRoomNotFound: 'There is no such room.',
  errorCannotConnect: 'Cannot connect to the chat server.',
  errorNameInvalid: 'That name cannot be used. Try another.',
  errorClockSkew: 'Your device clock is wrong, so messages are refused.',
  errorSignIn: 'This room is for signed-in people only. Sign in to join.',
  errorSignInToCreate: 'Sign in to create a room.',
  errorSignInExpired: 'Your sign-in has expired. Sign in again.',
  errorSignInRefused: 'The chat server did not accept your sign-in.',
  errorSignInUnavailable: 'The sign-in service cannot be reached. Try again later.',
  errorQuota: 'You already have as many open rooms as you may. Wait until one expires.',
  errorGeneric: 'Something went wrong.',
} as const;

/** A string with its `{name}` placeholders filled in. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (all, key: string) => (key in values ? String(values[key]) : all));
}

export type Strings = { -readonly [K in keyof typeof DEFAULT_STRINGS]: string };
export type StringKey = keyof Strings;

/** The plain-words message for a server error code or category. */
export function errorStringKey(code: string, category?: string): StringKey {
  switch (code) {
    case 'text-too-long':
      return 'errorTooLong';
    case 'room-expired':
      return 'errorRoomExpired';
    case 'room-closed':
      return 'errorRoomClosed';
    case 'room-not-found':
      return 'errorRoomNotFound';
    case 'cannot-connect':
      return 'errorCannotConnect';
    case 'name-invalid':
    case 'name-unavailable':
      return 'errorNameInvalid';
    case 'clock-skew':
      return 'errorClockSkew';
    case 'auth-required':
      return 'errorSignIn';
    case 'token-expired':
      return 'errorSignInExpired';
    case 'issuer-unavailable':
      return 'errorSignInUnavailable';
    case 'rate-limited':
      return 'errorRateLimited';
    case 'quota-exceeded':
      return 'errorQuota';
  }
  if (code.startsWith('token-')) return 'errorSignInRefused';
  return category === 'rate-limited' ? 'errorRateLimited' : 'errorGeneric';
}
