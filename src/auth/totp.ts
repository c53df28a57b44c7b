import { lazyModule } from '../domain/lazy-module.ts';

// otplib and its hashes are loaded when two-factor sign-in is first used, not with every node and
// command that creates users.
const otplib = lazyModule<typeof import('otplib')>('otplib', import.meta.url);

/** A new base32 TOTP secret. */
export function newTotpSecret(): string {
  return otplib().generateSecret();
}

/** The otpauth:// URI an authenticator app scans. */
export function totpUri(secret: string, username: string, issuer = 'hanoi247'): string {
  return otplib().generateURI({ issuer, label: username, secret });
}

/** The current code, for tests and the demo. */
export function totpCode(secret: string, at: Date): Promise<string> {
  return otplib().generate({ secret, epoch: Math.floor(at.getTime() / 1000) });
}

/** Checks a 6-digit code, allowing one 30 s step of clock drift either way. */
export async function checkTotp(secret: string, token: string, at: Date): Promise<boolean> {
  if (!/^\d{6}$/.test(token)) return false;
  try {
    const result = await otplib().verify({
      secret,
      token,
      epoch: Math.floor(at.getTime() / 1000),
      epochTolerance: 30,
    });
    return result.valid;
  } catch {
    return false;
  }
}
