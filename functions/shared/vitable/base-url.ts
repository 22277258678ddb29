import * as z from "zod/mini";
import { blankAsUnset } from "../configuration.ts";
import { DEFAULTS } from "../defaults.ts";

/** Plain http is refused except on loopback, so the API key never crosses a network unencrypted. */
export const vitableBaseUrl = blankAsUnset(
  z._default(z.url({ error: "must be an absolute URL" }), DEFAULTS.vitableBaseUrl).check(
    z.refine(
      (url) => {
        // zod runs this refinement even after the URL format failed; that failure is already reported.
        if (!URL.canParse(url)) return true;
        const { protocol, hostname } = new URL(url);
        return protocol === "https:" || (protocol === "http:" && isLoopback(hostname));
      },
      { error: "must use https (plain http is allowed only on loopback, for the emulator)" },
    ),
  ),
);

function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127(\.\d{1,3}){3}$/.test(hostname);
}
