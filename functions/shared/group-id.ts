/**
 * Grammar of a Vitable group id. The docs only say `grp_<base64-encoded-uuid>`, and their placeholders are shorter
 * (`grp_abc123def456`), so we accept either base64 alphabet without `/` (a path separator) and optional padding.
 * Anything else never reaches a URL: `grp_x/../../employers` must not address another endpoint.
 */
export const GROUP_ID_PATTERN = /^grp_[A-Za-z0-9_+-]{1,128}={0,2}$/;

export function isGroupId(value: string): boolean {
  return GROUP_ID_PATTERN.test(value);
}
