/**
 * Unpadded base64url (RFC 4648 §5), the encoding of every key, signature and
 * nonce on the wire. Written against Uint8Array and the platform's btoa/atob
 * (browsers and Node alike), so the widget can use it without Node's Buffer
 * and its script-tag bundle carries no alphabet tables.
 */

export function encodeBase64url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Decodes strict unpadded base64url; returns undefined for any other input. */
export function decodeBase64url(text: string): Uint8Array | undefined {
  // Only the url-safe alphabet, no padding; a length of 4n+1 is no encoding at all.
  if (!/^[\w-]*$/.test(text) || text.length % 4 === 1) return undefined;
  const out = Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
  // atob ignores non-zero spare bits: refuse them (a non-canonical spelling) so one value has exactly one.
  return encodeBase64url(out) === text ? out : undefined;
}
