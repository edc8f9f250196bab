import { Role } from '@ferry/contracts';

export interface TokenHolder {
  readonly role: Role;
  /** How the holder appears in the audit log: the role and a short fingerprint of the token. */
  readonly actor: string;
}

/** `FERRY_TOKENS`: comma-separated `role:token` pairs, e.g. `admin:s3cret,viewer:look`. */
export function parseTokens(spec: string | undefined): Map<string, TokenHolder> {
  const tokens = new Map<string, TokenHolder>();
  const roles = Object.values(Role) as string[];
  for (const entry of (spec ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const colon = entry.indexOf(':');
    const role = entry.slice(0, colon);
    const token = entry.slice(colon + 1);
    if (colon <= 0 || !token || !roles.includes(role)) {
      throw new Error(
        `FERRY_TOKENS: ${JSON.stringify(entry.slice(0, Math.max(colon, 0)) || entry.slice(0, 8))}… is not role:token with a role of ${roles.join(', ')}`,
      );
    }
    tokens.set(token, { role: role as Role, actor: `${role}:${token.slice(0, 4)}…` });
  }
  return tokens;
}
