/** Derivation algorithm id; bump it (and keep the old path) if any step of derivation changes. */
export const MASTER_KEY_DERIVATION_V1 = 'sealnet-mk-v1'

/** RSA modulus sizes a master key may have. 8192 is accepted but takes tens of seconds. */
export const MASTER_KEY_SIZES = [2048, 3072, 4096, 8192] as const
export type MasterKeySize = (typeof MASTER_KEY_SIZES)[number]
export const DEFAULT_MASTER_KEY_SIZE: MasterKeySize = 2048

/** Public exponent, the universal choice (F4). */
export const RSA_PUBLIC_EXPONENT = 65537n

/**
 * Default scrypt cost: N = 2^17, r = 8, p = 1 uses 128 MiB and ≈0.4 s here (OWASP's
 * 2023 recommendation). Stored in every record, so it can be raised for new keys.
 */
export const DEFAULT_SCRYPT_PARAMS = { N: 2 ** 17, r: 8, p: 1 } as const
/** The weakest parameters openMasterKey accepts from a record: below this it is refused. */
export const MIN_SCRYPT_LOG_N = 10
/** scrypt's memory is 128·N·r·p bytes; node's default cap (32 MiB) is too small for N = 2^17. */
export const SCRYPT_MAX_MEMORY = 1024 * 1024 * 1024

/** Small odd primes the prime search sieves with before asking OpenSSL (as OpenSSL's own keygen does). */
export const SIEVE_PRIME_COUNT = 2048
/** Odd candidates examined from one random start before drawing a new one. */
export const PRIME_SEARCH_WINDOW = 4096

/** AES-256-GCM envelope: magic "SEAL", then version, algorithm, flags. */
export const ENVELOPE_MAGIC = Uint8Array.of(0x53, 0x45, 0x41, 0x4c)
export const ENVELOPE_VERSION = 1
export const ENVELOPE_ALG_AES_256_GCM = 1
export const ENVELOPE_FLAG_FINAL = 0x01
/** magic 4 + version 1 + alg 1 + flags 1 + reserved 1 + key id 16 + key version 4 + nonce 12 */
export const ENVELOPE_HEADER_LENGTH = 40
export const ENVELOPE_TAG_LENGTH = 16
export const ENVELOPE_NONCE_LENGTH = 12
export const KEY_ID_LENGTH = 16
export const AES_KEY_LENGTH = 32
/**
 * Plaintext bytes per sealed chunk of a large object. 1 MiB keeps per-chunk overhead
 * (56 bytes, one GCM call) negligible and bounds memory while streaming. With random
 * 96-bit nonces a key may seal at most 2^32 chunks (NIST SP 800-38D); key rotation
 * comes long before that.
 */
export const DEFAULT_CHUNK_SIZE = 1024 * 1024
/** Largest chunk an opener accepts, so a hostile length prefix can't make it allocate gigabytes. */
export const MAX_CHUNK_SIZE = 16 * 1024 * 1024

/** Sealed box (hybrid RSA-OAEP + envelope): magic "SBOX", version. */
export const SEALED_BOX_MAGIC = Uint8Array.of(0x53, 0x42, 0x4f, 0x58)
export const SEALED_BOX_VERSION = 1

/** Random challenge signed into a verification record. */
export const CHALLENGE_LENGTH = 32
