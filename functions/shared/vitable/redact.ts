const REDACTED = "[REDACTED]";

/**
 * An echoed run of a secret at least this long is redacted wherever it sits in the secret (a prefix, a suffix, the
 * middle). Shorter runs are left: they carry too little of a key to matter and would redact ordinary words.
 */
const MIN_FRAGMENT = 12;

/**
 * Anything shaped like a Vitable credential (API key `vit_apk_…`, access token `vit_at_…`), in any case, up to the
 * end of the bearer-token alphabet of RFC 6750, whether or not it is a key this container knows.
 */
const VITABLE_CREDENTIAL = /vit_(?:apk|at)_[A-Za-z0-9._~+/=-]+/gi;

/** ASCII case folding keeps every index in place (String#toLowerCase may not), and keys are ASCII. */
function foldAscii(text: string): string {
  return text.replace(/[A-Z]/g, (char) => char.toLowerCase());
}

/**
 * Replaces what server or library text echoes of the given secrets, so it cannot leak: exact copies in any case,
 * any run of at least 12 characters of a secret (e.g. a truncated key), and every Vitable-shaped credential.
 */
export function redactSecrets(text: string, secrets: Iterable<string>): string {
  const hidden = new Uint8Array(text.length);
  const folded = foldAscii(text);
  for (const secret of secrets) {
    if (secret.length > 0) markSecret(folded, foldAscii(secret), hidden);
  }
  for (const match of text.matchAll(VITABLE_CREDENTIAL))
    hidden.fill(1, match.index, match.index + match[0].length);
  let result = "";
  let index = 0;
  while (index < text.length) {
    if (hidden[index] === 1) {
      result += REDACTED;
      while (hidden[index] === 1) index += 1;
    } else {
      const next = hidden.indexOf(1, index);
      const end = next === -1 ? text.length : next;
      result += text.slice(index, end);
      index = end;
    }
  }
  return result;
}

/** Marks every window of `text` that is a run of `secret` (both folded), so overlapping runs merge into one. */
function markSecret(text: string, secret: string, hidden: Uint8Array): void {
  const width = Math.min(MIN_FRAGMENT, secret.length);
  const fragments = new Set<string>();
  for (let start = 0; start + width <= secret.length; start += 1) {
    fragments.add(secret.slice(start, start + width));
  }
  for (let start = 0; start + width <= text.length; start += 1) {
    if (fragments.has(text.slice(start, start + width))) hidden.fill(1, start, start + width);
  }
}
