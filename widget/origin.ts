/**
 * The default server: the origin that served this script. `currentScript` is
 * only set while a classic script first runs, so it is read once, at load.
 * Loaded as an ES module (npm import), it falls back to the page's origin.
 */
const script = typeof document === 'undefined' ? null : document.currentScript;
const scriptSrc = script instanceof HTMLScriptElement && script.src ? script.src : undefined;

export function defaultServer(): string {
  return new URL(scriptSrc ?? location.href).origin;
}
