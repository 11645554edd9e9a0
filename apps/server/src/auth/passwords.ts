import { hash, verify } from '@node-rs/argon2';

/**
 * argon2id with OWASP's minimum parameters (19 MiB, 2 iterations, 1 lane): about 25 ms a hash here,
 * slow enough to make guessing expensive, fast enough for logins.
 */
// 2 = Algorithm.Argon2id (a const enum, which cannot be imported under verbatimModuleSyntax).
const OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const MIN_PASSWORD_LENGTH = 12;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A French reason when a new password is too weak, null when it is acceptable. */
export function passwordWeakness(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) {
    return `le mot de passe doit compter au moins ${MIN_PASSWORD_LENGTH} caractères`;
  }
  if (new Set(password).size < 5) return 'le mot de passe doit comporter au moins 5 caractères différents';
  return null;
}

/** A hash to verify against when the account does not exist, so timing does not tell who has one. */
export const DUMMY_HASH = await hashPassword('mosaique-compte-inexistant');
