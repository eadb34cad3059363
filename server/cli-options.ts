/**
 * The command line and environment, as one table: the parser, `--help` and
 * docs/configuration.md all come from it (a test keeps the doc in step).
 * A flag beats its environment variable, which beats the default.
 */
import { parseArgs } from 'node:util';

export type OptionKind = 'integer' | 'duration' | 'string' | 'list' | 'boolean';

export interface CliOption {
  readonly flag: string;
  readonly env: string;
  readonly kind: OptionKind;
  /** As a user would type it; durations as "5m", "12h". */
  readonly default: string;
  readonly description: string;
  /** Allowed values for a string option. */
  readonly choices?: readonly string[];
  /** Smallest allowed integer; 1 when absent. */
  readonly min?: number;
}

export const CLI_OPTIONS = [
  {
    flag: 'port',
    env: 'PORT',
    kind: 'integer',
    min: 0,
    default: '8080',
    description: 'TCP port to listen on; 0 picks a free one.',
  },
  { flag: 'host', env: 'HOST', kind: 'string', default: '0.0.0.0', description: 'Address to listen on.' },
  {
    flag: 'storage',
    env: 'TINY_CHAT_STORAGE',
    kind: 'string',
    default: 'sqlite',
    choices: ['sqlite', 'redis', 'memory'],
    description:
      'Storage adapter: `sqlite` (one instance, durable), `redis` (many instances), `memory` (nothing survives a restart).',
  },
  {
    flag: 'db',
    env: 'TINY_CHAT_DB',
    kind: 'string',
    default: './data/tiny-chat.db',
    description: 'SQLite database file (with `--storage sqlite`); its folder is created.',
  },
  {
    flag: 'sqlite-synchronous',
    env: 'TINY_CHAT_SQLITE_SYNCHRONOUS',
    kind: 'string',
    default: 'normal',
    choices: ['normal', 'full', 'extra'],
    description:
      'SQLite `PRAGMA synchronous`: `normal` survives a process crash, `full` also a power loss (one fsync per message).',
  },
  {
    flag: 'redis-url',
    env: 'REDIS_URL',
    kind: 'string',
    default: 'redis://127.0.0.1:6379',
    description: 'Redis to use with `--storage redis`; `rediss://` for TLS.',
  },
  {
    flag: 'redis-prefix',
    env: 'TINY_CHAT_REDIS_PREFIX',
    kind: 'string',
    default: 'tiny-chat',
    description: 'Prefix of every Redis key and of the event channel; instances that share rooms share it.',
  },
  {
    flag: 'max-text-length',
    env: 'TINY_CHAT_MAX_TEXT_LENGTH',
    kind: 'integer',
    default: '1000',
    description: 'Longest message text, in Unicode code points.',
  },
  {
    flag: 'history-cap',
    env: 'TINY_CHAT_HISTORY_CAP',
    kind: 'integer',
    default: '500',
    description: 'Messages kept per room; older ones are deleted.',
  },
  {
    flag: 'history-page',
    env: 'TINY_CHAT_HISTORY_PAGE',
    kind: 'integer',
    default: '50',
    description: 'Messages in a join snapshot and in a default history page.',
  },
  {
    flag: 'max-frame-bytes',
    env: 'TINY_CHAT_MAX_FRAME_BYTES',
    kind: 'integer',
    default: '16384',
    description: 'Largest inbound WebSocket frame; larger ones get `frame-too-large`, 4x larger close the socket.',
  },
  {
    flag: 'idle-timeout',
    env: 'TINY_CHAT_IDLE_TIMEOUT',
    kind: 'duration',
    default: '5m',
    description: 'A room with nobody connected and no message for this long is deleted.',
  },
  {
    flag: 'max-lifetime',
    env: 'TINY_CHAT_MAX_LIFETIME',
    kind: 'duration',
    default: '12h',
    description: 'A room is deleted this long after its creation, whatever happens.',
  },
  {
    flag: 'clock-skew',
    env: 'TINY_CHAT_CLOCK_SKEW',
    kind: 'duration',
    default: '5m',
    description: 'Largest accepted difference between a message time and server time.',
  },
  {
    flag: 'ping-interval',
    env: 'TINY_CHAT_PING_INTERVAL',
    kind: 'duration',
    default: '30s',
    description: 'WebSocket ping period; a socket that misses a pong is dropped at the next ping.',
  },
  {
    flag: 'sweep-interval',
    env: 'TINY_CHAT_SWEEP_INTERVAL',
    kind: 'duration',
    default: '1s',
    description: 'How often expired rooms and dead presence are swept.',
  },
  {
    flag: 'cors-origin',
    env: 'TINY_CHAT_CORS_ORIGIN',
    kind: 'list',
    default: '*',
    description: 'Origins allowed to call the REST API from a browser, comma-separated; `*` for any.',
  },
  {
    flag: 'oidc',
    env: 'TINY_CHAT_OIDC',
    kind: 'string',
    default: '[]',
    description:
      'Trusted OpenID Connect issuers, as JSON: `[{"issuer":"https://id.example","audience":"tiny-chat","nameClaim":"name"}]`.',
  },
  {
    flag: 'rooms-per-user',
    env: 'TINY_CHAT_ROOMS_PER_USER',
    kind: 'integer',
    default: '3',
    description: 'Live rooms one signed-in user may hold.',
  },
  {
    flag: 'anonymous-rooms-per-ip',
    env: 'TINY_CHAT_ANONYMOUS_ROOMS_PER_IP',
    kind: 'integer',
    min: 0,
    default: '20',
    description: 'Live rooms anonymous creators may hold per IP address; 0 turns anonymous creation off.',
  },
  {
    flag: 'message-rate',
    env: 'TINY_CHAT_MESSAGE_RATE',
    kind: 'integer',
    default: '5',
    description: 'Messages per second one socket may send on average.',
  },
  {
    flag: 'message-burst',
    env: 'TINY_CHAT_MESSAGE_BURST',
    kind: 'integer',
    default: '10',
    description: 'Messages one socket may send at once above its rate.',
  },
  {
    flag: 'user-message-rate',
    env: 'TINY_CHAT_USER_MESSAGE_RATE',
    kind: 'integer',
    default: '10',
    description: 'Messages per second one user (signed-in subject, else key) may send over all its sockets.',
  },
  {
    flag: 'user-message-burst',
    env: 'TINY_CHAT_USER_MESSAGE_BURST',
    kind: 'integer',
    default: '20',
    description: 'Messages one user may send at once above its rate.',
  },
  {
    flag: 'max-connections-per-ip',
    env: 'TINY_CHAT_MAX_CONNECTIONS_PER_IP',
    kind: 'integer',
    default: '50',
    description: 'Open WebSockets per IP address; more get 429 at the upgrade.',
  },
  {
    flag: 'rest-rate-max',
    env: 'TINY_CHAT_REST_RATE_MAX',
    kind: 'integer',
    default: '300',
    description: 'REST requests per IP address per `--rest-rate-window`.',
  },
  {
    flag: 'rest-rate-window',
    env: 'TINY_CHAT_REST_RATE_WINDOW',
    kind: 'duration',
    default: '1m',
    description: 'The window of `--rest-rate-max`.',
  },
  {
    flag: 'ws-origin',
    env: 'TINY_CHAT_WS_ORIGIN',
    kind: 'list',
    default: '*',
    description: 'Page origins allowed to open the chat socket, comma-separated; `*` for any. Others get 403.',
  },
  {
    flag: 'max-buffered-bytes',
    env: 'TINY_CHAT_MAX_BUFFERED_BYTES',
    kind: 'integer',
    default: '1048576',
    description: 'Bytes waiting to be sent to one socket before it is closed as a slow consumer (4503).',
  },
  {
    flag: 'join-timeout',
    env: 'TINY_CHAT_JOIN_TIMEOUT',
    kind: 'duration',
    default: '10s',
    description: 'A socket that has not joined a room this long after connecting is closed (4408).',
  },
  {
    flag: 'headers-timeout',
    env: 'TINY_CHAT_HEADERS_TIMEOUT',
    kind: 'duration',
    default: '10s',
    description: 'A client must send its request headers within this (slowloris).',
  },
  {
    flag: 'request-timeout',
    env: 'TINY_CHAT_REQUEST_TIMEOUT',
    kind: 'duration',
    default: '30s',
    description: 'A whole HTTP request must arrive within this.',
  },
  {
    flag: 'keep-alive-timeout',
    env: 'TINY_CHAT_KEEP_ALIVE_TIMEOUT',
    kind: 'duration',
    default: '5s',
    description: 'An idle keep-alive HTTP connection is closed after this.',
  },
  {
    flag: 'trust-proxy',
    env: 'TINY_CHAT_TRUST_PROXY',
    kind: 'string',
    default: 'false',
    description:
      'Proxies whose X-Forwarded-For gives the client address for per-IP limits: `false`, `true`, or comma-separated addresses or CIDRs.',
  },
  {
    flag: 'demo',
    env: 'TINY_CHAT_DEMO',
    kind: 'string',
    default: 'on',
    choices: ['on', 'off'],
    description: 'Serve the widget script at `/tiny-chat.js` and the demo page at `/`.',
  },
  {
    flag: 'log-level',
    env: 'LOG_LEVEL',
    kind: 'string',
    default: 'info',
    choices: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
    description: 'pino log level.',
  },
  { flag: 'help', env: '', kind: 'boolean', default: 'false', description: 'Print this help and exit.' },
] as const satisfies readonly CliOption[];

export type Flag = (typeof CLI_OPTIONS)[number]['flag'];
export type ParsedConfig = Record<Flag, string | number | boolean | string[]>;

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** "250ms", "30s", "5m", "12h"; a bare number is seconds. Returns milliseconds. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) return undefined;
  return Number(m[1]) * UNITS[m[2] ?? 's']!;
}

function convert(opt: CliOption, raw: string, source: string): string | number | boolean | string[] {
  switch (opt.kind) {
    case 'integer': {
      const n = Number(raw);
      const min = opt.min ?? 1;
      if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < min) {
        throw new TypeError(`${source} must be ${min === 0 ? 'a whole number' : 'a positive integer'}, got "${raw}"`);
      }
      return n;
    }
    case 'duration': {
      const ms = parseDuration(raw);
      if (ms === undefined || ms <= 0)
        throw new TypeError(`${source} must be a duration like 30s, 5m or 12h, got "${raw}"`);
      return ms;
    }
    case 'list':
      return raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    case 'boolean':
      return raw === 'true' || raw === '1';
    case 'string':
      if (opt.choices && !opt.choices.includes(raw)) {
        throw new TypeError(`${source} must be one of ${opt.choices.join(', ')}, got "${raw}"`);
      }
      return raw;
  }
}

export function parseCli(argv: readonly string[], env: NodeJS.ProcessEnv): ParsedConfig {
  const { values } = parseArgs({
    args: [...argv],
    options: Object.fromEntries(
      CLI_OPTIONS.map((o) => [o.flag, { type: o.kind === 'boolean' ? 'boolean' : 'string' }] as const),
    ),
    strict: true,
    allowPositionals: false,
  });
  const out: Partial<ParsedConfig> = {};
  for (const opt of CLI_OPTIONS as readonly CliOption[]) {
    const flagValue = values[opt.flag];
    if (typeof flagValue === 'boolean') {
      out[opt.flag as Flag] = flagValue;
    } else if (typeof flagValue === 'string') {
      out[opt.flag as Flag] = convert(opt, flagValue, `--${opt.flag}`);
    } else if (opt.env && env[opt.env] !== undefined && env[opt.env] !== '') {
      out[opt.flag as Flag] = convert(opt, env[opt.env]!, opt.env);
    } else {
      out[opt.flag as Flag] = convert(opt, opt.default, `default of --${opt.flag}`);
    }
  }
  return out as ParsedConfig;
}

export function helpText(): string {
  const lines = ['Usage: tiny-chat [options]', '', 'Options (flag, environment variable, default):'];
  for (const o of CLI_OPTIONS as readonly CliOption[]) {
    const flag = o.kind === 'boolean' ? `--${o.flag}` : `--${o.flag} <${o.kind}>`;
    const env = o.env ? ` [${o.env}]` : '';
    const def = o.kind === 'boolean' ? '' : ` (default: ${o.default})`;
    lines.push(
      `  ${flag}${env}${def}`,
      `      ${o.description}${o.choices ? ` One of: ${o.choices.join(', ')}.` : ''}`,
    );
  }
  return lines.join('\n');
}
