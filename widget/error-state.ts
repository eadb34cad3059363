/**
 * The one error the widget shows, and when it goes away again. An error is
 * cleared when its cause clears, never left standing: a join or connection
 * error when the socket is online again, a send refusal (too fast, clock
 * wrong) once a later message is delivered and no unsent message still
 * carries that refusal, and a rate limit (slow mode too) when its `retryAfterMs` has run out
 * (counted down in the words, second by second).
 */
import { errorStringKey, type StringKey, type Strings } from './strings.js';

export interface ShownError {
  /** A code from docs/errors.md, `cannot-connect`, or `internal`. */
  readonly code: string;
  readonly key: StringKey;
  readonly temporary: boolean;
  /** The server refused a message (`ref` was its id), rather than the join or the socket. */
  readonly fromSend: boolean;
  /** For a rate limit: when it ends (Date.now() time). */
  readonly until?: number;
}

/** How an error is shown: its category picks the words unless `key` does; a rate limit counts down `retryAfterMs`. */
export interface ErrorOptions {
  readonly category?: string;
  readonly temporary?: boolean;
  readonly fromSend?: boolean;
  readonly key?: StringKey;
  readonly retryAfterMs?: number;
}

export class ErrorState {
  current: ShownError | undefined;
  readonly #changed: () => void;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(changed: () => void) {
    this.#changed = changed;
  }

  /** Shows an error; `key` picks other words than the code's usual ones. */
  set(code: string, options: ErrorOptions): ShownError {
    const until = options.retryAfterMs !== undefined ? Date.now() + options.retryAfterMs : undefined;
    const shown: ShownError = {
      code,
      key: options.key ?? errorStringKey(code, options.category),
      temporary: options.temporary ?? false,
      fromSend: options.fromSend ?? false,
      ...(until !== undefined ? { until } : {}),
    };
    this.current = shown;
    clearTimeout(this.#timer);
    if (until !== undefined) this.#tick(shown);
    this.#changed();
    return shown;
  }

  clear(): void {
    if (!this.current) return;
    clearTimeout(this.#timer);
    this.current = undefined;
    this.#changed();
  }

  /** A message was delivered: a send refusal no unsent message still carries is over. */
  delivered(stillRefused: (code: string) => boolean): void {
    const shown = this.current;
    if (shown?.fromSend && !stillRefused(shown.code)) this.clear();
  }

  /** The words for the current error; a rate limit counts down its seconds. */
  text(strings: Strings): string {
    const shown = this.current;
    if (!shown) return '';
    if (shown.until === undefined) return strings[shown.key];
    const seconds = Math.max(1, Math.ceil((shown.until - Date.now()) / 1000));
    return strings.errorRateLimitedWait.replace('{seconds}', String(seconds));
  }

  /** Redraws every second until the limit ends, then clears it (unless another error took its place). */
  #tick(shown: ShownError): void {
    const left = shown.until! - Date.now();
    if (left <= 0) {
      if (this.current === shown) this.clear();
      return;
    }
    this.#timer = setTimeout(
      () => {
        this.#changed();
        this.#tick(shown);
      },
      left % 1000 || 1000,
    );
  }
}
