/**
 * The security flags of the command line, turned into server options. Kept
 * apart from cli.ts so that the JSON of `--oidc` is checked where the other
 * flags are: a bad value stops the server at start, naming the flag.
 */
import type { ParsedConfig } from './cli-options.js';
import type { CreateServerOptions } from './index.js';

export function securityOptions(config: ParsedConfig): Partial<CreateServerOptions> {
  let oidc: unknown;
  try {
    oidc = JSON.parse(config.oidc as string);
  } catch {
    throw new TypeError('--oidc / TINY_CHAT_OIDC must be JSON, like [{"issuer":"https://id.example","audience":"x"}]');
  }
  const origins = config['ws-origin'] as string[];
  const proxy = config['trust-proxy'] as string;
  return {
    oidc: oidc as CreateServerOptions['oidc'],
    roomsPerUser: config['rooms-per-user'] as number,
    anonymousRoomsPerIp: config['anonymous-rooms-per-ip'] as number,
    connectionMessageRate: { perSecond: config['message-rate'] as number, burst: config['message-burst'] as number },
    userMessageRate: {
      perSecond: config['user-message-rate'] as number,
      burst: config['user-message-burst'] as number,
    },
    maxConnectionsPerIp: config['max-connections-per-ip'] as number,
    restRateMax: config['rest-rate-max'] as number,
    restRateWindowMs: config['rest-rate-window'] as number,
    wsOrigins: origins.includes('*') ? true : origins,
    maxBufferedBytes: config['max-buffered-bytes'] as number,
    joinTimeoutMs: config['join-timeout'] as number,
    headersTimeoutMs: config['headers-timeout'] as number,
    requestTimeoutMs: config['request-timeout'] as number,
    keepAliveTimeoutMs: config['keep-alive-timeout'] as number,
    trustProxy: proxy === 'true' ? true : proxy === 'false' ? false : proxy.split(',').map((s) => s.trim()),
  };
}
