/**
 * A real OpenID Provider (panva's oidc-provider) on a loopback port, for tests.
 * Tokens come out of its real token endpoint: client_credentials with a
 * resource indicator gives a JWT access token whose audience is the resource.
 * Each confidential client is one "user" (its sub is the client id).
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/** The audience tiny-chat is configured with in tests. */
export const CHAT_AUDIENCE = 'urn:tiny-chat';
/** Another resource on the same provider: its tokens have the wrong audience. */
export const OTHER_AUDIENCE = 'urn:other-api';

/** Access token lifetime; tests expire a token by moving tiny-chat's fake clock past it. */
export const TOKEN_TTL_S = 600;

export interface TestProvider {
  readonly issuer: string;
  /** The public JWK the provider signs with. */
  readonly publicJwk: Record<string, unknown>;
  /** A client_credentials access token for `user` (a client id: user-1 ... user-9). */
  token(user: string, resource?: string): Promise<string>;
  stop(): Promise<void>;
}

export interface ProviderOptions {
  /** Listen on this port (to restart a provider with new keys under the same issuer URL). */
  port?: number;
  /** Extra public clients (the SSO example's browser page). */
  publicClients?: { client_id: string; redirect_uris: string[] }[];
}

export async function startProvider(options: ProviderOptions = {}): Promise<TestProvider> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = `k-${Math.random().toString(36).slice(2, 10)}`;
  const privateJwk = { ...privateKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
  const publicJwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };

  const users = Array.from({ length: 9 }, (_, i) => `user-${i + 1}`);
  const provider = new Provider(issuer, {
    clients: [
      ...users.map((id) => ({
        client_id: id,
        client_secret: `${id}-secret-that-is-long-enough-for-hs256`,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
      })),
      ...(options.publicClients ?? []).map((c) => ({
        ...c,
        token_endpoint_auth_method: 'none' as const,
        grant_types: ['authorization_code'],
        response_types: ['code' as const],
      })),
    ],
    cookies: { keys: [randomBytes(16).toString('hex')] },
    jwks: { keys: [privateJwk] },
    pkce: { required: () => true },
    // A browser page may call the token endpoint from the origin it is redirected back to.
    clientBasedCORS: (_ctx, origin, client) => client.redirectUris?.some((u) => new URL(u).origin === origin) ?? false,
    claims: { openid: ['sub'], profile: ['name'] },
    async findAccount(_ctx, sub) {
      return { accountId: sub, claims: () => ({ sub, name: `Name of ${sub}` }) };
    },
    ttl: { ClientCredentials: TOKEN_TTL_S, AccessToken: TOKEN_TTL_S },
    features: {
      devInteractions: { enabled: true },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => CHAT_AUDIENCE,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) => ({
          scope: 'chat',
          audience: resource,
          accessTokenFormat: 'jwt',
          accessTokenTTL: TOKEN_TTL_S,
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
    // The display name claim tiny-chat reads; a client_credentials token has no user, so it is added here.
    extraTokenClaims: (_ctx, token) => {
      const sub = token.kind === 'ClientCredentials' ? token.clientId : token.accountId;
      return { name: `Name of ${sub ?? 'nobody'}` };
    },
  });
  const handle = provider.callback();
  server.on('request', (req, res) => {
    // No pooled connections: a provider restarted on the same port must not get the old one's sockets.
    res.setHeader('connection', 'close');
    // Koa's handler answers its own errors; the promise only says when it is done.
    void handle(req, res);
  });

  return {
    issuer,
    publicJwk,
    async token(user, resource = CHAT_AUDIENCE) {
      const res = await fetch(`${issuer}/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${user}:${user}-secret-that-is-long-enough-for-hs256`).toString('base64')}`,
        },
        body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'chat', resource }).toString(),
      });
      const body = (await res.json()) as { access_token?: string };
      if (res.status !== 200 || !body.access_token) throw new Error(`token: ${res.status} ${JSON.stringify(body)}`);
      return body.access_token;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
