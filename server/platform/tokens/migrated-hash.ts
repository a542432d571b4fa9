// Password hashes imported from another system (passwords.migrate), kept as given and checked on
// the next login the way that system computed them: bcrypt and Argon2 by hash-wasm, scrypt,
// PBKDF2, MD5, SHA-1 and SHA-512 by node:crypto, phpass's portable MD5 scheme as it is specified
// (no maintained library exists for it). Formats and errors are Stytch's (openapi.yaml,
// passwordsMigrate): bcrypt and phpass as modular-crypt strings; scrypt and PBKDF2 as base64 with
// base64 salts (or scrypt as a PHC string); Argon2 as its encoded string, or hex with a config;
// MD5, SHA-1 and SHA-512 as hex digests of prepend_salt + password + append_salt.
import { createHash, pbkdf2, scrypt, timingSafeEqual } from 'node:crypto'
import { promisify } from 'node:util'
import { StytchError } from '../../errors.js'

export interface SaltConfig {
  prepend_salt?: string | undefined
  append_salt?: string | undefined
}

export interface MigrateInput {
  hash: string
  hash_type: string
  md_5_config?: SaltConfig | undefined
  sha_1_config?: SaltConfig | undefined
  sha_512_config?: SaltConfig | undefined
  scrypt_config?:
    | {
        salt: string
        n_parameter: number
        r_parameter: number
        p_parameter: number
        key_length: number
      }
    | undefined
  pbkdf_2_config?:
    { salt: string; iteration_amount: number; key_length: number; algorithm?: string } | undefined
  argon_2_config?:
    | {
        salt: string
        iteration_amount: number
        memory: number
        threads: number
        key_length: number
      }
    | undefined
}

/** What is stored: the hash as given and what checking it needs, all checked at import. */
type Imported =
  | { type: 'bcrypt' | 'phpass' | 'argon_2_encoded'; hash: string }
  | { type: 'md5' | 'sha1' | 'sha512'; hex: string; prepend: string; append: string }
  | { type: 'scrypt'; key: string; salt: string; N: number; r: number; p: number }
  | { type: 'pbkdf2'; key: string; salt: string; iterations: number; digest: string }
  | {
      type: 'argon2i' | 'argon2id'
      hex: string
      salt: string
      iterations: number
      memory: number
      threads: number
    }

export const MIGRATED_PREFIX = 'migrated$'
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/
const HEX = /^[0-9a-fA-F]+$/
const DIGESTS = { md_5: ['md5', 32], sha_1: ['sha1', 40], sha_512: ['sha512', 128] } as const
const SCRYPT_PHC = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/.=-]+)\$([A-Za-z0-9+/.=-]+)$/
const pbkdf2Async = promisify(pbkdf2)
/** Loaded on the first imported bcrypt or Argon2 hash checked: start-up does not pay for it. */
const hashWasm = () => import('hash-wasm')
const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>

/** Checks an imported hash as Stytch does and returns what the password store keeps for it. */
export function importHash(input: MigrateInput): string {
  return MIGRATED_PREFIX + Buffer.from(JSON.stringify(parse(input))).toString('base64url')
}

export const isImported = (stored: string) => stored.startsWith(MIGRATED_PREFIX)

/**
 * Whether the password is the one the imported hash was made from. Import checked the hash's
 * form; a library that still refuses it (none should) means no match, never a crash.
 */
export async function verifyImported(password: string, stored: string): Promise<boolean> {
  try {
    return await verify(password, stored)
  } catch {
    return false
  }
}

async function verify(password: string, stored: string): Promise<boolean> {
  const h = JSON.parse(
    Buffer.from(stored.slice(MIGRATED_PREFIX.length), 'base64url').toString(),
  ) as Imported
  switch (h.type) {
    case 'bcrypt':
      return (await hashWasm()).bcryptVerify({ password, hash: h.hash })
    case 'argon_2_encoded':
      return (await hashWasm()).argon2Verify({ password, hash: h.hash })
    case 'phpass':
      return same(phpass(password, h.hash), h.hash)
    case 'md5':
    case 'sha1':
    case 'sha512': {
      const digest = createHash(h.type)
        .update(h.prepend + password + h.append)
        .digest('hex')
      return same(digest, h.hex.toLowerCase())
    }
    case 'scrypt': {
      const key = Buffer.from(h.key, 'base64')
      const maxmem = 128 * h.N * h.r * h.p + 1024 * 1024
      const given = await scryptAsync(password, Buffer.from(h.salt, 'base64'), key.length, {
        N: h.N,
        r: h.r,
        p: h.p,
        maxmem,
      })
      return timingSafeEqual(given, key)
    }
    case 'pbkdf2': {
      const key = Buffer.from(h.key, 'base64')
      const salt = Buffer.from(h.salt, 'base64')
      const given = await pbkdf2Async(password, salt, h.iterations, key.length, h.digest)
      return timingSafeEqual(given, key)
    }
    case 'argon2i':
    case 'argon2id': {
      const options = {
        password,
        salt: h.salt,
        iterations: h.iterations,
        memorySize: h.memory,
        parallelism: h.threads,
        hashLength: h.hex.length / 2,
        outputType: 'hex' as const,
      }
      const { argon2i, argon2id } = await hashWasm()
      const given = await (h.type === 'argon2i' ? argon2i(options) : argon2id(options))
      return same(given, h.hex.toLowerCase())
    }
  }
}

function parse(input: MigrateInput): Imported {
  const { hash } = input
  switch (input.hash_type) {
    case 'bcrypt': {
      const match = /^\$2[aby]\$(\d{2})\$[./A-Za-z0-9]{53}$/.exec(hash)
      if (!match) throw new StytchError('invalid_bcrypt_hash')
      // Up to 16 (65,536 rounds, about 5 s in WebAssembly): a cost that would stall the mock
      // on every login is refused (Unverified: Stytch's own bound).
      const cost = Number(match[1])
      if (cost < 4 || cost > 16) throw new StytchError('invalid_bcrypt_cost')
      return { type: 'bcrypt', hash }
    }
    case 'phpass':
      if (!/^\$[PH]\$/.test(hash)) throw new StytchError('invalid_phpass_hash_prefix')
      // The iteration count's log2 (the fourth character), 7 to 30 as phpass allows.
      if (!/^\$[PH]\$[5-9A-S][./0-9A-Za-z]{30}$/.test(hash)) throw new StytchError('invalid_hash')
      return { type: 'phpass', hash }
    case 'md_5':
    case 'sha_1':
    case 'sha_512': {
      const [type, length] = DIGESTS[input.hash_type]
      if (hash.length !== length || !HEX.test(hash))
        throw new StytchError(`invalid_${input.hash_type}_hash`)
      const config = input[`${input.hash_type}_config`]
      return {
        type,
        hex: hash,
        prepend: config?.prepend_salt ?? '',
        append: config?.append_salt ?? '',
      }
    }
    case 'scrypt':
      return scryptHash(input)
    case 'pbkdf_2': {
      const config = input.pbkdf_2_config
      if (!BASE64.test(hash) || hash === '') throw new StytchError('invalid_pbkdf_2_hash')
      if (!config) throw new StytchError('invalid_argument', 'pbkdf_2_config is required.')
      if (!BASE64.test(config.salt) || config.salt === '')
        throw new StytchError('invalid_pbkdf_2_salt')
      if (config.iteration_amount < 1) throw new StytchError('invalid_pbkdf_2_iteration_amount')
      const algorithm = config.algorithm || 'sha256'
      if (algorithm !== 'sha256' && algorithm !== 'sha512')
        throw new StytchError('invalid_pbkdf_2_algorithm')
      if (Buffer.from(hash, 'base64').length !== config.key_length)
        throw new StytchError('pbkdf_2_key_length_mismatch')
      if (config.key_length < MIN_KEY_BYTES) throw new StytchError('invalid_pbkdf_2_hash')
      return {
        type: 'pbkdf2',
        key: hash,
        salt: config.salt,
        iterations: config.iteration_amount,
        digest: algorithm,
      }
    }
    case 'argon_2i':
    case 'argon_2id': {
      const variant = input.hash_type === 'argon_2i' ? 'argon2i' : 'argon2id'
      if (hash.startsWith('$')) {
        const phc = new RegExp(
          `^\\$${variant}\\$v=19\\$m=(\\d+),t=(\\d+),p=(\\d+)\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)$`,
        ).exec(hash)
        if (!phc) throw new StytchError('invalid_hash')
        const [memory, iterations, threads] = [phc[1], phc[2], phc[3]].map(Number) as [
          number,
          number,
          number,
        ]
        checkArgon2(memory, iterations, threads)
        if (Buffer.from(phc[4]!, 'base64').length < 8) throw new StytchError('invalid_argon_2_salt')
        if (Buffer.from(phc[5]!, 'base64').length < 4) throw new StytchError('invalid_hash')
        return { type: 'argon_2_encoded', hash }
      }
      const config = input.argon_2_config
      if (!HEX.test(hash) || hash.length % 2 !== 0) throw new StytchError('invalid_hash')
      if (!config) throw new StytchError('invalid_argument', 'argon_2_config is required.')
      if (config.salt.length < 8) throw new StytchError('invalid_argon_2_salt')
      checkArgon2(config.memory, config.iteration_amount, config.threads)
      if (config.key_length !== hash.length / 2)
        throw new StytchError('argon_2_key_length_mismatch')
      return {
        type: variant,
        hex: hash,
        salt: config.salt,
        iterations: config.iteration_amount,
        memory: config.memory,
        threads: config.threads,
      }
    }
    default:
      throw new StytchError('invalid_hash_type')
  }
}

function scryptHash(input: MigrateInput): Imported {
  const phc = SCRYPT_PHC.exec(input.hash)
  if (phc) {
    const ln = Number(phc[1])
    if (ln < 1 || ln > 18) throw new StytchError('invalid_scrypt_n_parameter')
    const key = Buffer.from(phc[5]!, 'base64')
    const salt = Buffer.from(phc[4]!, 'base64')
    if (salt.length < 8 || salt.length > 64) throw new StytchError('invalid_scrypt_salt_length')
    if (key.length < MIN_KEY_BYTES) throw new StytchError('invalid_base64_scrypt_hash')
    const [r, p] = [Number(phc[2]), Number(phc[3])]
    checkScrypt(2 ** ln, r, p)
    return {
      type: 'scrypt',
      N: 2 ** ln,
      r,
      p,
      salt: salt.toString('base64'),
      key: key.toString('base64'),
    }
  }
  const config = input.scrypt_config
  if (!BASE64.test(input.hash) || input.hash === '')
    throw new StytchError('invalid_base64_scrypt_hash')
  if (!config) throw new StytchError('invalid_argument', 'scrypt_config is required.')
  if (!BASE64.test(config.salt)) throw new StytchError('invalid_base64_scrypt_salt')
  const salt = Buffer.from(config.salt, 'base64')
  if (salt.length < 8 || salt.length > 64) throw new StytchError('invalid_scrypt_salt_length')
  const N = config.n_parameter
  // A power of two greater than 1 and less than 262,145 (Stytch).
  if (N < 2 || N > 262144 || (N & (N - 1)) !== 0)
    throw new StytchError('invalid_scrypt_n_parameter')
  if (Buffer.from(input.hash, 'base64').length !== config.key_length)
    throw new StytchError('scrypt_key_length_mismatch')
  if (config.key_length < MIN_KEY_BYTES) throw new StytchError('invalid_base64_scrypt_hash')
  checkScrypt(N, config.r_parameter, config.p_parameter)
  return {
    type: 'scrypt',
    key: input.hash,
    salt: config.salt,
    N,
    r: config.r_parameter,
    p: config.p_parameter,
  }
}

/**
 * A derived key shorter than this checks nothing (an empty one matches any password): 16 bytes,
 * as every scheme's own default is longer (Unverified: Stytch's bound).
 */
const MIN_KEY_BYTES = 16

/** Parameters one login can afford: at most 256 MiB, as Stytch's largest N with r = 8 takes. */
function checkScrypt(N: number, r: number, p: number) {
  if (r < 1 || r > 64 || p < 1 || p > 16 || 128 * N * r > 256 * 1024 * 1024)
    throw new StytchError('invalid_scrypt_parameters')
}

function checkArgon2(memoryKiB: number, iterations: number, threads: number) {
  if (threads < 1 || threads > 64 || iterations < 1 || iterations > 100)
    throw new StytchError('invalid_hash')
  if (memoryKiB < 8 * threads || memoryKiB > 256 * 1024) throw new StytchError('invalid_hash')
}

const same = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b))

const ITOA64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/** phpass's portable hash (WordPress `$P$`, phpBB `$H$`): MD5 iterated 2^n times, itoa64 output. */
function phpass(password: string, setting: string): string {
  const count = 2 ** ITOA64.indexOf(setting[3]!)
  const salt = setting.slice(4, 12)
  const pw = Buffer.from(password, 'utf8')
  let hash = createHash('md5').update(salt).update(pw).digest()
  for (let i = 0; i < count; i++) hash = createHash('md5').update(hash).update(pw).digest()
  return setting.slice(0, 12) + encode64(hash)
}

function encode64(input: Buffer): string {
  let out = ''
  let i = 0
  while (i < input.length) {
    let value = input[i++]!
    out += ITOA64[value & 0x3f]
    if (i < input.length) value |= input[i]! << 8
    out += ITOA64[(value >> 6) & 0x3f]
    if (i++ >= input.length) break
    if (i < input.length) value |= input[i]! << 16
    out += ITOA64[(value >> 12) & 0x3f]
    if (i++ >= input.length) break
    out += ITOA64[(value >> 18) & 0x3f]
  }
  return out
}
