/**
 * Every option of the server, once: the library's (`tinyChat` and
 * `createServer`) and the command's. Each entry gives its kind, default,
 * description and flag; from this file come the defaults, the validation and
 * its error texts (resolve.ts), the command line and `--help`
 * (command-line.ts), the TypeScript types below, and docs/configuration.md
 * (test/server/options.test.ts keeps the doc in step). A data table, so it
 * may run long.
 *
 * Must never: state a default, a bound or a flag anywhere else.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { EventBus, RateStore, Storage } from '../../adapters/types.js';
import {
  DEFAULT_CLOCK_SKEW_MS,
  DEFAULT_MAX_FRAME_BYTES,
  DEFAULT_MAX_TEXT_LENGTH,
  POW_MAX_BITS,
} from '../../protocol/limits.js';
import type { Clock } from '../clock.js';
import type { Verifier } from '../verify/verifier.js';
import {
  custom,
  duration,
  flag,
  object,
  oneOf,
  optional,
  positiveInteger,
  positiveNumber,
  secret,
  text,
  upTo,
  wholeNumber,
} from './kinds.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** The code a server is given: not data, so neither a flag nor a default. */
export const ObjectsSchema = Type.Object({
  storage: object<Storage>(
    'TinyChatStorage',
    (v) => isObject(v) && typeof v['appendMessage'] === 'function',
    'a Storage adapter',
    { description: 'The storage adapter (`tiny-chat/adapters/memory`, `sqlite` or `redis`). Required.' },
  ),
  bus: optional(
    object<EventBus>(
      'TinyChatEventBus',
      (v) => isObject(v) && typeof v['publish'] === 'function' && typeof v['subscribe'] === 'function',
      'an EventBus',
      {
        description:
          "Carries room events between instances. A bus of the server's own by default when the storage is not shared (memory, SQLite); required when it is (Redis: `createRedisEventBus`). The caller owns it: the server never closes it.",
      },
    ),
  ),
  rates: optional(
    object<RateStore>(
      'TinyChatRateStore',
      (v) => isObject(v) && typeof v['take'] === 'function' && typeof v['hit'] === 'function',
      'a RateStore',
      {
        description:
          "Where the per-user message buckets and the per-IP REST windows live. In the server's memory by default; with instances sharing Redis pass `createRedisRateStore` (the command does), so a client cannot multiply its budget by spreading over instances. The caller owns it.",
      },
    ),
  ),
  verifier: optional(
    object<Verifier>('TinyChatVerifier', (v) => isObject(v) && typeof v['verify'] === 'function', 'a Verifier', {
      description:
        'Checks message signatures. By default each server makes a `VerifyPool` with one worker thread per core and closes it with the server; pass one `VerifyPool` (exported) to share its threads between servers in one process (it is then yours to `close()`); its threads start when it is made, and `ready()` resolves once they have loaded (until then, and for a turn of at most 4 signatures while every thread is idle, signatures are checked on the event loop).',
    }),
  ),
  clock: optional(
    object<Clock>(
      'TinyChatClock',
      (v) => isObject(v) && typeof v['now'] === 'function',
      'an object with a now() method',
      {
        description:
          'Time source, `{ now(): number }` in ms since the epoch; tests pass a fake one. The system clock by default.',
      },
    ),
  ),
});

export const ServingSchema = Type.Object({
  instanceId: optional(
    text(
      undefined,
      { description: 'Unique per server process; part of every connection id. Random by default.' },
      { pattern: '^[A-Za-z0-9_-]{1,64}$', expected: '1-64 characters of [A-Za-z0-9_-]' },
    ),
  ),
  corsOrigin: custom(
    Type.Union([Type.Boolean(), Type.Array(Type.String()), Type.String()]),
    'true, an origin or a list of origins',
    {
      description:
        'Origins allowed to call the REST API from a browser; `true` (`*` on the command line, where a list is comma-separated) allows any.',
      cli: { flag: 'cors-origin', env: 'TINY_CHAT_CORS_ORIGIN', wildcard: true },
    },
    true,
  ),
  demo: flag(false, {
    description: 'Serve the widget script at `/tiny-chat.js` and the demo page at `/`.',
    cli: { flag: 'demo', env: 'TINY_CHAT_DEMO', default: true },
  }),
  metrics: flag(false, {
    description:
      'Serve Prometheus metrics at `/metrics` (docs/metrics.md). Off by default: nothing is then registered or collected.',
    cli: { flag: 'metrics', env: 'TINY_CHAT_METRICS' },
  }),
});

export const LimitsSchema = Type.Object({
  maxTextLength: positiveInteger(DEFAULT_MAX_TEXT_LENGTH, {
    description: 'Longest message text, in Unicode code points.',
    cli: { flag: 'max-text-length', env: 'TINY_CHAT_MAX_TEXT_LENGTH' },
  }),
  historyCap: positiveInteger(500, {
    description: 'Messages kept per room; older ones are deleted.',
    cli: { flag: 'history-cap', env: 'TINY_CHAT_HISTORY_CAP' },
  }),
  historyPage: positiveInteger(50, {
    description: 'Messages in a join snapshot and in a default history page; at most the history cap.',
    cli: { flag: 'history-page', env: 'TINY_CHAT_HISTORY_PAGE' },
  }),
  maxFrameBytes: positiveInteger(DEFAULT_MAX_FRAME_BYTES, {
    description: 'Largest inbound WebSocket frame; larger ones get `frame-too-large`, 4x larger close the socket.',
    cli: { flag: 'max-frame-bytes', env: 'TINY_CHAT_MAX_FRAME_BYTES' },
  }),
  idleTimeoutMs: duration(5 * MINUTE, {
    description: 'A room with nobody connected and no message for this long is deleted.',
    cli: { flag: 'idle-timeout', env: 'TINY_CHAT_IDLE_TIMEOUT' },
  }),
  maxLifetimeMs: duration(12 * HOUR, {
    description: 'A room is deleted this long after its creation, whatever happens.',
    cli: { flag: 'max-lifetime', env: 'TINY_CHAT_MAX_LIFETIME' },
  }),
  clockSkewMs: duration(DEFAULT_CLOCK_SKEW_MS, {
    description: 'Largest accepted difference between a message time and server time.',
    cli: { flag: 'clock-skew', env: 'TINY_CHAT_CLOCK_SKEW' },
  }),
  pingIntervalMs: duration(30_000, {
    description: 'WebSocket ping period; a socket that misses a pong is dropped at the next ping.',
    cli: { flag: 'ping-interval', env: 'TINY_CHAT_PING_INTERVAL' },
  }),
  sweepIntervalMs: duration(1000, {
    description: 'How often expired rooms and dead presence are swept.',
    cli: { flag: 'sweep-interval', env: 'TINY_CHAT_SWEEP_INTERVAL' },
  }),
  presenceTickMs: duration(100, {
    description:
      "Presence changes in a room are gathered this long and sent as one `presence` frame of the tick's joins and leaves; longer in rooms of over 400 (1 ms per 4 members).",
    cli: { flag: 'presence-tick', env: 'TINY_CHAT_PRESENCE_TICK' },
  }),
  maxBadFrames: positiveInteger(10, {
    description:
      'Invalid frames one socket may send within the bad-frame window; one more closes it (4400). Each still gets its error frame.',
    cli: { flag: 'max-bad-frames', env: 'TINY_CHAT_MAX_BAD_FRAMES' },
  }),
  badFrameWindowMs: duration(10_000, {
    description: 'The window over which invalid frames are counted.',
    cli: { flag: 'bad-frame-window', env: 'TINY_CHAT_BAD_FRAME_WINDOW' },
  }),
  storageTimeoutMs: duration(5000, {
    description:
      'A storage call not answered within this is refused with `storage-unavailable`, and storage counts as down (calls refused at once) until it answers a probe again.',
    cli: { flag: 'storage-timeout', env: 'TINY_CHAT_STORAGE_TIMEOUT' },
  }),
  gapTimeoutMs: duration(250, {
    description:
      'How long a message published out of order by another instance waits for the missing ones before they are read from storage.',
    cli: { flag: 'gap-timeout', env: 'TINY_CHAT_GAP_TIMEOUT' },
  }),
});

const ISSUER_FIELDS = '{ issuer, audience, nameClaim?, algorithms?, keysCooldownMs? }';

export const OidcIssuerSchema = custom(
  Type.Object(
    {
      issuer: text(
        undefined,
        { description: 'Exactly the `iss` its tokens carry; keys are found through its discovery document.' },
        { pattern: '^https?://\\S+$', expected: 'an http(s) URL' },
      ),
      audience: text(undefined, { description: 'The `aud` this server requires.' }),
      nameClaim: optional(text(undefined, { description: 'Claim holding the display name; `name` by default.' })),
      algorithms: optional(
        custom(
          // HS* and none are what a forged token would ask for.
          Type.Array(Type.String({ pattern: '^(?!HS|none$)' }), { minItems: 1 }),
          'a non-empty list of asymmetric JWS algorithms',
          { description: 'Asymmetric algorithms accepted; RS256, PS256, ES256 and EdDSA by default.' },
        ),
      ),
      keysCooldownMs: optional(
        wholeNumber(undefined, {
          description: 'Least time between two key-set fetches caused by unknown key ids; 30 s by default.',
        }),
      ),
    },
    { additionalProperties: false },
  ),
  `an object ${ISSUER_FIELDS}`,
  { description: 'One trusted OpenID Connect issuer.' },
);
export type OidcIssuer = Static<typeof OidcIssuerSchema>;

function rate(
  def: { perSecond: number; burst: number },
  description: string,
  flags: { perSecond: [string, string, string]; burst: [string, string, string] },
) {
  const [rateFlag, rateEnv, rateText] = flags.perSecond;
  const [burstFlag, burstEnv, burstText] = flags.burst;
  return custom(
    Type.Object({
      perSecond: positiveNumber(def.perSecond, {
        description: rateText,
        cli: { flag: rateFlag, env: rateEnv },
      }),
      burst: positiveInteger(def.burst, { description: burstText, cli: { flag: burstFlag, env: burstEnv } }),
    }),
    '{ perSecond: a positive number, burst: a positive integer }',
    { description },
    def,
  );
}

export const SecuritySchema = Type.Object({
  oidc: custom(
    Type.Array(OidcIssuerSchema),
    `a list of ${ISSUER_FIELDS}`,
    {
      description:
        'Trusted OpenID Connect issuers; none means nobody can sign in. On the command line as JSON: `[{"issuer":"https://id.example","audience":"tiny-chat","nameClaim":"name"}]`.',
      cli: { flag: 'oidc', env: 'TINY_CHAT_OIDC' },
    },
    [],
  ),
  roomsPerUser: positiveInteger(3, {
    description: 'Live rooms one signed-in user may hold.',
    cli: { flag: 'rooms-per-user', env: 'TINY_CHAT_ROOMS_PER_USER' },
  }),
  anonymousRoomsPerIp: wholeNumber(20, {
    description: 'Live rooms anonymous creators may hold per IP address; 0 turns anonymous creation off.',
    cli: { flag: 'anonymous-rooms-per-ip', env: 'TINY_CHAT_ANONYMOUS_ROOMS_PER_IP' },
  }),
  connectionMessageRate: rate({ perSecond: 5, burst: 10 }, 'Message rate of one socket.', {
    perSecond: ['message-rate', 'TINY_CHAT_MESSAGE_RATE', 'Messages per second one socket may send on average.'],
    burst: ['message-burst', 'TINY_CHAT_MESSAGE_BURST', 'Messages one socket may send at once above its rate.'],
  }),
  userMessageRate: rate(
    { perSecond: 10, burst: 20 },
    'Message rate of one user (signed-in subject, else public key) over all its sockets on this instance.',
    {
      perSecond: [
        'user-message-rate',
        'TINY_CHAT_USER_MESSAGE_RATE',
        'Messages per second one user (signed-in subject, else key) may send over all its sockets.',
      ],
      burst: [
        'user-message-burst',
        'TINY_CHAT_USER_MESSAGE_BURST',
        'Messages one user may send at once above its rate.',
      ],
    },
  ),
  maxConnectionsPerIp: positiveInteger(50, {
    description: 'Open WebSockets per IP address; more get 429 at the upgrade.',
    cli: { flag: 'max-connections-per-ip', env: 'TINY_CHAT_MAX_CONNECTIONS_PER_IP' },
  }),
  restRateMax: positiveInteger(300, {
    description: 'REST requests per IP address per REST rate window.',
    cli: { flag: 'rest-rate-max', env: 'TINY_CHAT_REST_RATE_MAX' },
  }),
  restRateWindowMs: duration(MINUTE, {
    description: 'The REST rate window.',
    cli: { flag: 'rest-rate-window', env: 'TINY_CHAT_REST_RATE_WINDOW' },
  }),
  wsOrigins: custom(
    Type.Union([Type.Literal(true), Type.Array(Type.String({ pattern: '^https?://[^/\\s]+$' }))]),
    'true or a list of origins like https://example.com',
    {
      description:
        'Page origins allowed to open the chat socket; `true` (`*` on the command line, where a list is comma-separated) allows any. Others get 403.',
      cli: { flag: 'ws-origin', env: 'TINY_CHAT_WS_ORIGIN', wildcard: true },
    },
    true,
  ),
  maxBufferedBytes: positiveInteger(1024 * 1024, {
    description: 'Bytes waiting to be sent to one socket before it is closed as a slow consumer (4503).',
    cli: { flag: 'max-buffered-bytes', env: 'TINY_CHAT_MAX_BUFFERED_BYTES' },
  }),
  closeGraceMs: duration(2000, {
    description:
      'After the server closes a socket (slow consumer, too many errors, join timeout, shutdown), the client has this long to answer the close before the TCP connection is cut.',
    cli: { flag: 'close-grace', env: 'TINY_CHAT_CLOSE_GRACE' },
  }),
  joinTimeoutMs: duration(10_000, {
    description: 'A socket that has not joined a room this long after connecting is closed (4408).',
    cli: { flag: 'join-timeout', env: 'TINY_CHAT_JOIN_TIMEOUT' },
  }),
  adminToken: optional(
    secret({
      description:
        'Bearer token of the operator routes, `GET /rooms` (list live rooms) and `DELETE /rooms/:id` (end a room); without it they do not exist (404). A secret: never logged, compared in constant time.',
      cli: { flag: 'admin-token', env: 'TINY_CHAT_ADMIN_TOKEN' },
    }),
  ),
  proofOfWork: upTo(POW_MAX_BITS, 0, {
    description:
      'Proof-of-work difficulty, in leading zero bits of a SHA-256 hash, asked of every room creation and of every join by a key with no name in the room yet (docs/protocol.md); 0 turns it off. Each bit doubles the work.',
    cli: { flag: 'proof-of-work', env: 'TINY_CHAT_PROOF_OF_WORK' },
  }),
});

/** What `createServer` adds to the plugin's options: the HTTP server's own. */
export const HttpSchema = Type.Object({
  trustProxy: custom(
    Type.Union([Type.Boolean(), Type.Array(Type.String({ minLength: 1 })), Type.String({ minLength: 1 })]),
    'a boolean, an address or a list of addresses or CIDRs',
    {
      description:
        'Proxies whose X-Forwarded-For gives the client address for per-IP limits: `false`, `true`, or comma-separated addresses or CIDRs.',
      cli: { flag: 'trust-proxy', env: 'TINY_CHAT_TRUST_PROXY' },
    },
    false,
  ),
  headersTimeoutMs: duration(10_000, {
    description: 'A client must send its request headers within this (slowloris); at most the request timeout.',
    cli: { flag: 'headers-timeout', env: 'TINY_CHAT_HEADERS_TIMEOUT' },
  }),
  requestTimeoutMs: duration(30_000, {
    description: 'A whole HTTP request must arrive within this.',
    cli: { flag: 'request-timeout', env: 'TINY_CHAT_REQUEST_TIMEOUT' },
  }),
  keepAliveTimeoutMs: duration(5000, {
    description: 'An idle keep-alive HTTP connection is closed after this.',
    cli: { flag: 'keep-alive-timeout', env: 'TINY_CHAT_KEEP_ALIVE_TIMEOUT' },
  }),
});

/** The command's own options: where to listen, which storage, how to log. */
export const CommandSchema = Type.Object({
  port: wholeNumber(8080, {
    description: 'TCP port to listen on; 0 picks a free one.',
    cli: { flag: 'port', env: 'PORT' },
  }),
  host: text('0.0.0.0', { description: 'Address to listen on.', cli: { flag: 'host', env: 'HOST' } }),
  storage: oneOf(['sqlite', 'redis', 'memory'], 'sqlite', {
    description:
      'Storage adapter: `sqlite` (one instance, durable), `redis` (many instances), `memory` (nothing survives a restart).',
    cli: { flag: 'storage', env: 'TINY_CHAT_STORAGE' },
  }),
  db: text('./data/tiny-chat.db', {
    description: 'SQLite database file (with `--storage sqlite`); its folder is created.',
    cli: { flag: 'db', env: 'TINY_CHAT_DB' },
  }),
  sqliteSynchronous: oneOf(['normal', 'full', 'extra'], 'normal', {
    description:
      'SQLite `PRAGMA synchronous`: `normal` survives a process crash, `full` also a power loss (one fsync per message).',
    cli: { flag: 'sqlite-synchronous', env: 'TINY_CHAT_SQLITE_SYNCHRONOUS' },
  }),
  redisUrl: text('redis://127.0.0.1:6379', {
    description:
      'Redis to use with `--storage redis`; `rediss://` for TLS. For Redis Cluster, seed nodes, comma-separated.',
    cli: { flag: 'redis-url', env: 'REDIS_URL' },
  }),
  redisCluster: flag(false, {
    description:
      'Talk to a Redis Cluster: `--redis-url` lists one or more seed nodes, comma-separated. Implied when it lists more than one.',
    cli: { flag: 'redis-cluster', env: 'TINY_CHAT_REDIS_CLUSTER' },
  }),
  redisPrefix: text('tiny-chat', {
    description: 'Prefix of every Redis key and of the event channel; instances that share rooms share it.',
    cli: { flag: 'redis-prefix', env: 'TINY_CHAT_REDIS_PREFIX' },
  }),
  logLevel: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info', {
    description: 'pino log level.',
    cli: { flag: 'log-level', env: 'LOG_LEVEL' },
  }),
});

/**
 * The `tiny-chat rooms` command's own option (docs/deployment.md, operators);
 * its storage options and admin token are the server's, above. Not a server
 * option, so in no group.
 */
export const RoomsToolSchema = Type.Object({
  url: optional(
    text(
      undefined,
      {
        description:
          'Base URL of a running server to ask, with its admin token; without it the command opens the storage itself.',
        cli: { flag: 'url', env: 'TINY_CHAT_URL' },
      },
      { pattern: '^https?://\\S+$', expected: 'an http(s) URL' },
    ),
  ),
});

export type Objects = Static<typeof ObjectsSchema>;
export type Serving = Static<typeof ServingSchema>;
export type Limits = Static<typeof LimitsSchema>;
export type Security = Static<typeof SecuritySchema>;
export type Rate = Security['connectionMessageRate'];
/** The security options as the plugin takes them: each optional. */
export type SecurityOptions = Partial<Security>;
export type Http = Static<typeof HttpSchema>;
export type Command = Static<typeof CommandSchema>;

/** The groups in the order the command line, `--help` and the docs list them. */
export const GROUPS = {
  command: CommandSchema,
  limits: LimitsSchema,
  serving: ServingSchema,
  security: SecuritySchema,
  http: HttpSchema,
} as const;
export type GroupName = keyof typeof GROUPS;

/** The options of the `tinyChat` plugin. */
export type TinyChatOptions = Pick<Objects, 'storage'> &
  Partial<Pick<Objects, 'bus' | 'rates' | 'verifier' | 'clock'>> &
  Partial<Serving> &
  Partial<Limits> &
  Partial<Security>;

/** The options of `createServer`: the plugin's, the HTTP server's, and Fastify's logger. */
export type { Http as HttpOptions };
