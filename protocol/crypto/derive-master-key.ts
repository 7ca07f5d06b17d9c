/**
 * Master-key derivation, Sealnet v1 (`sealnet-mk-v1`):
 *
 *   seed = scrypt(NFKC(password), "sealnet-mk-v1/salt\0" ‖ NFKC(identity), N, r, p, 48 bytes)
 *   drbg = HMAC_DRBG-SHA-256(entropy = seed[0..32], nonce = seed[32..48],
 *                            personalization = "sealnet-mk-v1/rsa-<bits>")
 *   key  = rsaKeyPairFromDrbg(drbg, bits)            (see rsa-from-seed.ts)
 *
 * Same password, identity and parameters → the byte-identical key pair on every machine.
 * scrypt (RFC 7914) is memory-hard; its parameters travel in the public record so they
 * can be raised for new keys. The identity is the salt, so equal passwords of two users
 * give unrelated keys and a precomputed table serves one identity only.
 * @module
 */
import { type KeyObject, scrypt } from 'node:crypto'
import { assertString, utf8 } from './bytes.ts'
import {
  DEFAULT_MASTER_KEY_SIZE,
  DEFAULT_SCRYPT_PARAMS,
  MASTER_KEY_DERIVATION_V1,
  MASTER_KEY_SIZES,
  type MasterKeySize,
  MIN_SCRYPT_LOG_N,
  SCRYPT_MAX_MEMORY,
} from './constants.ts'
import { InvalidInputError } from './errors.ts'
import { HmacDrbg } from './hmac-drbg.ts'
import { publicKeyFingerprint } from './rsa.ts'
import { type PrimalityTest, rsaKeyPairFromDrbg } from './rsa-from-seed.ts'

export interface ScryptParams {
  name: 'scrypt'
  N: number
  r: number
  p: number
}

export interface MasterKeyParams {
  bits: MasterKeySize
  kdf: ScryptParams
}

export interface MasterKey {
  version: typeof MASTER_KEY_DERIVATION_V1
  identity: string
  params: MasterKeyParams
  publicKey: KeyObject
  privateKey: KeyObject
  /** SHA-256 of the public key's SPKI DER, hex. */
  fingerprint: string
}

export const DEFAULT_MASTER_KEY_PARAMS: MasterKeyParams = {
  bits: DEFAULT_MASTER_KEY_SIZE,
  kdf: { name: 'scrypt', ...DEFAULT_SCRYPT_PARAMS },
}

const SEED_LENGTH = 48

/** Throws InvalidInputError naming the parameter that is out of range. */
export function assertMasterKeyParams(params: MasterKeyParams): MasterKeyParams {
  if (!MASTER_KEY_SIZES.includes(params.bits)) {
    throw new InvalidInputError(
      `key size must be one of ${MASTER_KEY_SIZES.join(', ')}; got ${params.bits}`,
    )
  }
  const { name, N, r, p } = params.kdf
  if (name !== 'scrypt')
    throw new InvalidInputError(`unknown KDF "${name}"; only scrypt is supported`)
  const logN = Math.log2(N)
  if (!Number.isInteger(logN) || logN < MIN_SCRYPT_LOG_N || logN > 24) {
    throw new InvalidInputError(
      `scrypt N must be a power of two from 2^${MIN_SCRYPT_LOG_N} to 2^24; got ${N}`,
    )
  }
  if (!Number.isInteger(r) || r < 1 || r > 32)
    throw new InvalidInputError(`scrypt r must be 1..32; got ${r}`)
  if (!Number.isInteger(p) || p < 1 || p > 16)
    throw new InvalidInputError(`scrypt p must be 1..16; got ${p}`)
  return params
}

/** The 48-byte seed: the memory-hard part of derivation. */
export function deriveMasterSeed(
  password: string,
  identity: string,
  kdf: ScryptParams,
): Promise<Uint8Array> {
  const salt = utf8(`${MASTER_KEY_DERIVATION_V1}/salt\0${identity.normalize('NFKC')}`)
  return new Promise((resolve, reject) => {
    scrypt(
      utf8(password.normalize('NFKC')),
      salt,
      SEED_LENGTH,
      { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: SCRYPT_MAX_MEMORY },
      (err, key) => (err ? reject(err) : resolve(new Uint8Array(key))),
    )
  })
}

/** The RSA key pair of a seed: the deterministic, non-memory-hard part of derivation. */
export function masterKeyPairFromSeed(
  seed: Uint8Array,
  bits: MasterKeySize,
  primality: PrimalityTest = 'native',
) {
  const drbg = new HmacDrbg(
    seed.subarray(0, 32),
    seed.subarray(32, SEED_LENGTH),
    utf8(`${MASTER_KEY_DERIVATION_V1}/rsa-${bits}`),
  )
  return rsaKeyPairFromDrbg(drbg, bits, primality)
}

/**
 * Derives a user's or node's master key pair from a password and an identity.
 * @example
 * const key = await deriveMasterKey('correct horse battery staple', 'alice@acme.example')
 * key.fingerprint // the same on every machine
 */
export async function deriveMasterKey(
  password: string,
  identity: string,
  params: MasterKeyParams = DEFAULT_MASTER_KEY_PARAMS,
  options: { primality?: PrimalityTest } = {},
): Promise<MasterKey> {
  assertString(password, 'password')
  assertString(identity, 'identity')
  assertMasterKeyParams(params)
  const seed = await deriveMasterSeed(password, identity, params.kdf)
  try {
    const { publicKey, privateKey } = masterKeyPairFromSeed(seed, params.bits, options.primality)
    return {
      version: MASTER_KEY_DERIVATION_V1,
      identity,
      params,
      publicKey,
      privateKey,
      fingerprint: publicKeyFingerprint(publicKey),
    }
  } finally {
    seed.fill(0)
  }
}
