// The npm way: `npm install tiny-chat`, then import the widget in your own
// bundle. Importing defines <tiny-chat>; lit comes from your node_modules.
import { DEFAULT_STRINGS } from 'tiny-chat/widget';

const chat = document.createElement('tiny-chat');
chat.setAttribute('server', 'http://localhost:8080');
chat.setAttribute('name', 'guest');
chat.strings = { ...DEFAULT_STRINGS, title: 'Support chat' };
chat.addEventListener('tiny-chat-message', (event) => {
  const { message, verified } = event.detail;
  if (!verified) console.warn('unverified message from', message.name);
});
chat.addEventListener('tiny-chat-ready', (event) => {
  document.title = `Chat: ${event.detail.name}`;
});
document.querySelector('#chat').append(chat);
