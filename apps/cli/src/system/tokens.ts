import { randomBytes } from 'node:crypto';
import { CliError } from '../io/exit-codes';

const ROLES = ['viewer', 'operator', 'admin'] as const;
export type TokenRole = (typeof ROLES)[number];

export interface TokenEntry {
  readonly role: TokenRole;
  readonly token: string;
}

/** `FERRY_TOKENS`: comma-separated `role:token` pairs (interfaces.md). */
export function parseTokens(spec: string): TokenEntry[] {
  const entries: TokenEntry[] = [];
  for (const item of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const colon = item.indexOf(':');
    const role = item.slice(0, colon) as TokenRole;
    const token = item.slice(colon + 1);
    if (colon <= 0 || !ROLES.includes(role) || !token) {
      throw new CliError([
        `FERRY_TOKENS: expected role:token pairs (roles ${ROLES.join(', ')}), got ${JSON.stringify(item.replace(/:.*/, ':…'))}`,
      ]);
    }
    entries.push({ role, token });
  }
  return entries;
}

export interface Tokens {
  /** What the orchestrator gets as FERRY_TOKENS. */
  readonly spec: string;
  /** The token `ferry demo`, tests and the printed hint use: the highest role given. */
  readonly token: string;
  readonly role: TokenRole;
  /** True when `ferry up` made the token up (then it is printed). */
  readonly generated: boolean;
}

/** The API's tokens: the ones given, or a fresh random admin token. */
export function resolveTokens(spec: string | undefined): Tokens {
  if (spec && spec.trim()) {
    const entries = parseTokens(spec);
    if (entries.length) {
      const best = [...entries].sort((a, b) => ROLES.indexOf(b.role) - ROLES.indexOf(a.role))[0];
      return {
        spec: entries.map((e) => `${e.role}:${e.token}`).join(','),
        token: best.token,
        role: best.role,
        generated: false,
      };
    }
  }
  const token = randomBytes(18).toString('base64url');
  return { spec: `admin:${token}`, token, role: 'admin', generated: true };
}
