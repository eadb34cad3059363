/**
 * Bearer tokens from configured OpenID Connect issuers, checked with jose
 * against each issuer's published keys (JWKS, found through discovery).
 *
 * Must never: trust a claim before the signature verifies, accept an
 * algorithm outside the allowlist (this is what stops `alg: none` and HS256
 * signed with a public key), or choose the verification key from anything the
 * token says other than `kid` within the pinned issuer's own key set.
 */
import {
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  errors as jose,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { ChatError, type ErrorCode } from '../protocol/errors.js';
import type { Clock } from './clock.js';
import type { OidcIssuer } from './options/schema.js';

export type { OidcIssuer };

/** A user whose token an issuer signed: not a key pair (widget) nor a test client. */
export interface SignedInUser {
  /** "issuer sub": unique across issuers, the key for quotas and name binding. */
  readonly subject: string;
  /** The display name the issuer vouches for, if any. */
  readonly name: string | undefined;
}

const DEFAULT_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'];
/** Allowed difference between our clock and the issuer's for exp/nbf/iat. */
const CLOCK_TOLERANCE_S = 5;

interface Verifier {
  readonly config: OidcIssuer;
  keys: Promise<JWTVerifyGetKey> | undefined;
}

export class Authenticator {
  readonly #issuers = new Map<string, Verifier>();
  readonly #clock: Clock;

  constructor(issuers: readonly OidcIssuer[], clock: Clock) {
    for (const config of issuers) this.#issuers.set(config.issuer, { config, keys: undefined });
    this.#clock = clock;
  }

  get enabled(): boolean {
    return this.#issuers.size > 0;
  }

  /** Verifies a compact JWT; throws a ChatError with a `token-*` code when it is not acceptable. */
  async verify(token: string): Promise<SignedInUser> {
    let claimed: JWTPayload;
    try {
      claimed = decodeJwt(token);
    } catch {
      throw new ChatError('token-malformed');
    }
    // The unverified `iss` only picks which pinned key set to try; jwtVerify checks it again.
    const verifier = typeof claimed.iss === 'string' ? this.#issuers.get(claimed.iss) : undefined;
    if (!verifier) throw new ChatError('token-issuer');
    const { config } = verifier;
    const algorithms = [...(config.algorithms ?? DEFAULT_ALGORITHMS)];
    // Checked before any key is looked up, so `none` and HS* never reach a verifier.
    const { alg } = decodeProtectedHeader(token);
    if (typeof alg !== 'string' || !algorithms.includes(alg)) throw new ChatError('token-algorithm');
    const keys = await this.#keys(verifier);
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: config.issuer,
        audience: config.audience,
        algorithms,
        currentDate: new Date(this.#clock.now()),
        clockTolerance: CLOCK_TOLERANCE_S,
        requiredClaims: ['sub', 'exp'],
      }));
    } catch (err) {
      throw new ChatError(tokenErrorCode(err));
    }
    const name = payload[config.nameClaim ?? 'name'];
    return {
      subject: `${config.issuer} ${payload.sub!}`,
      name: typeof name === 'string' ? name : payload.sub,
    };
  }

  /** Discovery once per issuer; a failure is not cached, so the next request tries again. */
  #keys(verifier: Verifier): Promise<JWTVerifyGetKey> {
    verifier.keys ??= discover(verifier.config).catch((err: unknown) => {
      verifier.keys = undefined;
      throw err;
    });
    return verifier.keys;
  }
}

async function discover({ issuer, keysCooldownMs }: OidcIssuer): Promise<JWTVerifyGetKey> {
  let meta: { issuer?: unknown; jwks_uri?: unknown };
  try {
    const res = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, {
      signal: AbortSignal.timeout(5000),
    });
    if (!res.ok) throw new Error(`discovery answered ${res.status}`);
    meta = (await res.json()) as typeof meta;
  } catch {
    throw new ChatError('issuer-unavailable');
  }
  // OpenID Connect Discovery 1.0, section 4.3: the document must name the issuer it was fetched for.
  if (meta.issuer !== issuer || typeof meta.jwks_uri !== 'string') throw new ChatError('issuer-unavailable');
  // jose caches the key set and fetches it again when a token names an unknown kid (key rotation),
  // at most once per cooldown, so tokens with made-up kids cannot make us hammer the issuer.
  return createRemoteJWKSet(new URL(meta.jwks_uri), { cooldownDuration: keysCooldownMs ?? 30_000 });
}

function tokenErrorCode(err: unknown): ErrorCode {
  if (err instanceof ChatError) return err.code;
  if (err instanceof jose.JWTExpired) return 'token-expired';
  if (err instanceof jose.JWTClaimValidationFailed) {
    if (err.claim === 'aud') return 'token-audience';
    if (err.claim === 'iss') return 'token-issuer';
    return 'token-invalid';
  }
  if (err instanceof jose.JOSEAlgNotAllowed || err instanceof jose.JOSENotSupported) return 'token-algorithm';
  if (err instanceof jose.JWSSignatureVerificationFailed || err instanceof jose.JWKSNoMatchingKey) {
    return 'token-signature';
  }
  if (err instanceof jose.JWKSTimeout || err instanceof jose.JWKSInvalid) return 'issuer-unavailable';
  if (err instanceof jose.JWTInvalid || err instanceof jose.JWSInvalid) return 'token-malformed';
  // Not jose's verdict on the token: fetching the key set failed (network, TLS, bad answer).
  if (!(err instanceof jose.JOSEError)) return 'issuer-unavailable';
  return 'token-invalid';
}

/** The token of an `Authorization: Bearer` header; undefined when there is no header. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const m = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i.exec(header);
  if (!m) throw new ChatError('token-malformed');
  return m[1];
}
