import { hash, verify } from '@node-rs/argon2';

/**
 * argon2id with OWASP's second recommended profile (19 MiB, 2 passes, 1 lane): about 30 ms on
 * this kind of machine (docs/BENCHMARKS.md, "Sign-in"), slow for a guesser, quick for a person.
 */
export const ARGON2_PARAMS = {
  // Algorithm.Argon2id: a const enum, which isolated modules cannot read.
  algorithm: 2,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_PARAMS);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    // A damaged hash in the database is a refusal, not a crash of the sign-in route.
    return false;
  }
}

/**
 * Spent when the account does not exist, so a wrong username costs as long as a wrong password
 * and timing does not tell which accounts exist.
 */
let decoy: Promise<string> | undefined;
export async function burnVerify(password: string): Promise<void> {
  decoy ??= hashPassword('airdeck-decoy-password');
  await verifyPassword(await decoy, password);
}
