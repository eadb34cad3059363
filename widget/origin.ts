/**
 * The default server: the origin that served this script. `currentScript` is
 * only set while a classic script first runs, so it is read once, at load.
 * Loaded as an ES module (npm import), it falls back to the page's origin.
 * And the share link: this page's own address, with the room in it.
 */
const script = typeof document === 'undefined' ? null : document.currentScript;
const scriptSrc = script instanceof HTMLScriptElement && script.src ? script.src : undefined;

export function defaultServer(): string {
  return new URL(scriptSrc ?? location.href).origin;
}

/** The page URL with `room` in its `param` query parameter (none when either is empty), without the hash. */
export function shareUrl(param: string, room: string | undefined): string {
  const url = new URL(location.href);
  url.hash = '';
  if (param && room) url.searchParams.set(param, room);
  return url.href;
}
