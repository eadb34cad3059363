/**
 * Unread messages: those that arrived from others while the tab was hidden or
 * the reader was scrolled up. The count goes back to 0 when the reader can see
 * the newest message again (tab visible and at the bottom). Opt-in extras: a
 * "(N) " prefix on the page title (`title-badge`, the page's own title is put
 * back at 0) and a short tone (`sound`, WebAudio, no asset) that only plays
 * after the user has interacted with the page, as browsers require.
 *
 * The view tells it where the reader is through `atBottom` (the scroll code
 * sets it on every scroll) and `markRead()`; it never looks at the DOM itself.
 */

/** The element's opt-in attributes, read at each arrival. */
export interface UnreadSettings {
  readonly titleBadge: boolean;
  readonly sound: boolean;
}

const TONE_HZ = 880;
const TONE_S = 0.12;

export class Unread {
  count = 0;
  readonly #settings: UnreadSettings;
  readonly #changed: (count: number) => void;
  #atBottom = true;
  #gestured = false;
  /** The page's title before the badge went on; undefined while there is no badge. */
  #pageTitle: string | undefined;
  #audio: AudioContext | undefined;
  readonly #onVisible = (): void => {
    if (!document.hidden && this.#atBottom) this.markRead();
  };
  readonly #onGesture = (): void => {
    this.#gestured = true;
  };

  /** `changed` runs whenever the count changes. */
  constructor(settings: UnreadSettings, changed: (count: number) => void) {
    this.#settings = settings;
    this.#changed = changed;
  }

  connect(): void {
    document.addEventListener('visibilitychange', this.#onVisible);
    addEventListener('pointerdown', this.#onGesture, { capture: true, passive: true });
    addEventListener('keydown', this.#onGesture, { capture: true, passive: true });
  }

  disconnect(): void {
    document.removeEventListener('visibilitychange', this.#onVisible);
    removeEventListener('pointerdown', this.#onGesture, { capture: true });
    removeEventListener('keydown', this.#onGesture, { capture: true });
    this.#badge(0);
    void this.#audio?.close().catch(() => undefined);
    this.#audio = undefined;
  }

  /** Set by the view's scroll code: whether the newest message is in view. */
  set atBottom(value: boolean) {
    this.#atBottom = value;
    if (value && !document.hidden) this.markRead();
  }

  get atBottom(): boolean {
    return this.#atBottom;
  }

  /** A message from someone else arrived live. */
  arrived(): void {
    if (!document.hidden && this.#atBottom) return;
    this.#set(this.count + 1);
    if (this.#settings.sound && this.#gestured) this.#tone();
  }

  /** The reader has seen everything (also called by the view, e.g. after the "new messages" pill). */
  markRead(): void {
    if (this.count > 0) this.#set(0);
  }

  #set(count: number): void {
    this.count = count;
    this.#badge(count);
    this.#changed(count);
  }

  #badge(count: number): void {
    if (count > 0 && this.#settings.titleBadge) {
      this.#pageTitle ??= document.title;
      document.title = `(${count}) ${this.#pageTitle}`;
    } else if (this.#pageTitle !== undefined) {
      document.title = this.#pageTitle;
      this.#pageTitle = undefined;
    }
  }

  #tone(): void {
    try {
      const audio = (this.#audio ??= new AudioContext());
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.value = TONE_HZ;
      gain.gain.setValueAtTime(0.08, audio.currentTime);
      gain.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + TONE_S);
      osc.connect(gain).connect(audio.destination);
      osc.start();
      osc.stop(audio.currentTime + TONE_S);
    } catch {
      // No audio output (or refused): the count and badge still tell.
    }
  }
}
