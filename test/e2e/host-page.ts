/**
 * A host site on another origin than the chat server, standing in for "your
 * site": every page is served under a strict Content-Security-Policy (no
 * inline script or style; scripts only from itself and the chat server), and
 * embeds the widget with a script tag from the chat server. A page can carry
 * the hostile stylesheet of issue 10 (`* { font-size: 40px !important; … }`)
 * to prove the widget does not inherit from it.
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const HOSTILE_CSS =
  '* { font-size: 40px !important; color: red !important; box-sizing: content-box !important }';

export interface HostSite {
  readonly origin: string;
  /** A page with the widget in a box `width` px wide; query: name, theme, room, hostile, boolean attributes. */
  url(options: {
    width?: number;
    name?: string;
    theme?: string;
    room?: string;
    hostile?: boolean;
    flags?: readonly Flag[];
  }): string;
  close(): Promise<void>;
}

/** The widget's boolean attributes a page may set. */
export type Flag = 'title-badge' | 'sound' | 'no-typing';
const FLAGS: readonly string[] = ['title-badge', 'sound', 'no-typing'] satisfies Flag[];

const escapeAttr = (s: string): string => s.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`);

export async function startHostSite(chatOrigin: string): Promise<HostSite> {
  const wsOrigin = chatOrigin.replace(/^http/, 'ws');
  const server: Server = createHttpServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const q = url.searchParams;
    const csp = `default-src 'self'; img-src 'self' data:; script-src 'self' ${chatOrigin}; connect-src 'self' ${chatOrigin} ${wsOrigin}; style-src 'self'`;
    if (url.pathname === '/page.css') {
      const width = Number(q.get('width') ?? 0);
      const css = [
        'body { margin: 0; padding: 0; font: 16px/1.5 serif; }',
        width ? `.frame { width: ${width}px; }` : '.frame { width: auto; }',
        q.get('hostile') === '1' ? HOSTILE_CSS : '',
      ].join('\n');
      res.writeHead(200, { 'content-type': 'text/css' }).end(css);
      return;
    }
    if (url.pathname !== '/page.html') return void res.writeHead(404).end();
    const attrs = [`server="${escapeAttr(chatOrigin)}"`];
    if (q.get('name')) attrs.push(`name="${escapeAttr(q.get('name')!)}"`);
    if (q.get('theme')) attrs.push(`theme="${escapeAttr(q.get('theme')!)}"`);
    for (const flag of q.getAll('flag')) if (FLAGS.includes(flag)) attrs.push(flag);
    const cssQuery = new URLSearchParams({ width: q.get('width') ?? '', hostile: q.get('hostile') ?? '' });
    const body = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>host page</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="/page.css?${escapeAttr(cssQuery.toString())}" />
    <script src="${escapeAttr(chatOrigin)}/tiny-chat.js" defer></script>
  </head>
  <body>
    <p id="host-text">Text of the host page.</p>
    <div class="frame"><tiny-chat ${attrs.join(' ')}></tiny-chat></div>
  </body>
</html>`;
    res.writeHead(200, { 'content-type': 'text/html', 'content-security-policy': csp }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // localhost and 127.0.0.1 are different origins: the site is not the chat server.
  const origin = `http://localhost:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url({ width, name, theme, room, hostile, flags = [] }) {
      const q = new URLSearchParams();
      if (width) q.set('width', String(width));
      if (name) q.set('name', name);
      if (theme) q.set('theme', theme);
      for (const flag of flags) q.append('flag', flag);
      // The share link is this URL: the same length on the plain and the hostile page, the room id last.
      q.set('hostile', hostile ? '1' : '0');
      if (room) q.set('room', room);
      return `${origin}/page.html?${q.toString()}`;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
