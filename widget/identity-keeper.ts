/**
 * This browser's identity for one profile (the key pair from keys.ts) and the
 * name it joins under: wished by the host (`name`), typed into the name field,
 * or kept with the identity. Every name is checked with the server's own rules
 * (protocol/names.ts) before it is sent. A name the server refused is never
 * used again by this page and never kept in storage, so a refused name can
 * never lock a browser profile out; the key itself is kept.
 */
import { MAX_NAME_LENGTH, normalizeName } from '../protocol/names.js';
import { forgetIdentity, generateIdentity, loadIdentity, saveIdentity, type Identity } from './keys.js';

export { MAX_NAME_LENGTH };

/** The name a signed-in join asks for when there is none: the server takes the token's name instead. */
const SIGNED_IN_PLACEHOLDER = 'member';

/** Join refusals of the name itself: the name field shows again. */
export function isNameRefusal(code: string): boolean {
  return code === 'name-invalid' || code === 'name-unavailable';
}

export class IdentityKeeper {
  identity: Identity | undefined;
  /** The server refused the last name sent; the name field shows again, with the reason. */
  refused = false;
  /** The name the server refused last, put back in the field for the user to change (never stored). */
  lastRefused: string | undefined;
  readonly #refusedNames = new Set<string>();
  readonly #profile: () => string;
  readonly #changed: () => void;
  #loading: Promise<void> | undefined;

  constructor(profile: () => string, changed: () => void) {
    this.#profile = profile;
    this.#changed = changed;
  }

  /** Reads the stored identity once; a failed read counts as none. */
  load(): Promise<void> {
    this.#loading ??= loadIdentity(this.#profile()).then(
      (stored) => {
        this.identity = stored;
        this.#changed();
      },
      () => undefined,
    );
    return this.#loading;
  }

  /** The name as it would be sent, or undefined when the server's rules refuse it (or it refused it already). */
  usable(name: string | undefined): string | undefined {
    if (!name) return undefined;
    const normalized = normalizeName(name);
    return normalized !== undefined && !this.#refusedNames.has(normalized) ? normalized : undefined;
  }

  /** The host's wish if usable, else the stored name if usable. */
  wished(hostName: string | undefined): string | undefined {
    return this.usable(hostName) ?? this.usable(this.identity?.name);
  }

  /** The name to join with: the wished one, else, signed in (and not just refused), the placeholder. */
  joinName(hostName: string | undefined, signedIn: boolean): string | undefined {
    return this.wished(hostName) ?? (signedIn && !this.refused ? SIGNED_IN_PLACEHOLDER : undefined);
  }

  /** A name was given (by the host or storage) that cannot be used, or the server refused the last one. */
  problem(hostName: string | undefined): boolean {
    const unusable = (name: string | undefined): boolean => !!name && !this.usable(name);
    return this.refused || unusable(hostName) || unusable(this.identity?.name);
  }

  /** The identity with `name`, made and stored if need be (the key is kept, only the name changes). */
  async ensure(name: string): Promise<Identity> {
    if (this.identity && this.identity.name === name) return this.identity;
    const identity = this.identity ?? (await generateIdentity(name));
    identity.name = name;
    await saveIdentity(this.#profile(), identity);
    this.identity = identity;
    this.#changed();
    return identity;
  }

  /** A name typed by hand: the last refusal is answered. */
  chosen(): void {
    this.refused = false;
  }

  /** The server refused `name`: never offered again here, and dropped from storage. */
  async refuse(name: string): Promise<void> {
    this.#refusedNames.add(normalizeName(name) ?? name);
    this.refused = true;
    this.lastRefused = name;
    this.#changed();
    const identity = this.identity;
    if (identity && identity.name && !this.usable(identity.name)) {
      identity.name = '';
      await saveIdentity(this.#profile(), identity).catch(() => undefined);
    }
  }

  /** Forgets the key and name; `keep` is the usable name the next identity starts with, if any. */
  async forget(): Promise<string | undefined> {
    const keep = this.usable(this.identity?.name);
    await forgetIdentity(this.#profile());
    this.identity = undefined;
    return keep;
  }
}
