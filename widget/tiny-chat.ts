/**
 * Registers the <tiny-chat> tag. Kept apart from the class so the class can
 * be imported (and extended) without defining anything.
 */
import { TinyChatElement } from './tiny-chat.component.js';

if (!customElements.get('tiny-chat')) customElements.define('tiny-chat', TinyChatElement);

declare global {
  interface HTMLElementTagNameMap {
    'tiny-chat': TinyChatElement;
  }
}

export { TinyChatElement };
