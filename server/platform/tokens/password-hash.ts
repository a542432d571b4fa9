// Password hashes: scrypt with a random salt; the password itself is never stored. A hash
// imported by passwords.migrate is checked by its own scheme (migrated-hash.ts).
import { randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto'
import { promisify } from 'node:util'
import { isImported, verifyImported } from './migrated-hash.js'

const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: { N: number },
) => Promise<Buffer>
// Why N = 2^12: real enough to be scrypt, cheap enough (a few ms) for fixtures and resets.
const N = 4096
const KEY_LENGTH = 32

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  return encode(salt, await scryptAsync(password, salt, KEY_LENGTH, { N }))
}

/** For fixtures, which seed inside one synchronous transaction. */
export function hashPasswordSync(password: string): string {
  const salt = randomBytes(16)
  return encode(salt, scryptSync(password, salt, KEY_LENGTH, { N }))
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  if (isImported(stored)) return verifyImported(password, stored)
  const [scheme, salt, key] = stored.split('$')
  if (scheme !== 'scrypt' || !salt || !key) return false
  const expected = Buffer.from(key, 'base64url')
  const given = await scryptAsync(password, Buffer.from(salt, 'base64url'), expected.length, { N })
  return timingSafeEqual(given, expected)
}

const encode = (salt: Buffer, key: Buffer) =>
  `scrypt$${salt.toString('base64url')}$${key.toString('base64url')}`
