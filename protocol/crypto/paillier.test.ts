import { describe, expect, it } from 'vitest'
import { InvalidInputError, MalformedRecordError } from './errors.ts'
import {
  addPaillier,
  ciphertextToHex,
  decodePaillierPrivateKey,
  decryptPaillier,
  encodePaillierPrivateKey,
  encryptPaillier,
  generatePaillierKeys,
  PaillierPrivateKey,
  paillierKeyId,
  paillierPublicKey,
  randomizerBase,
} from './paillier.ts'

// Vectors computed independently with Python's pow(): n = (2^127 − 1)(2^521 − 1), g = n + 1,
// c = (1 + m·n) · r^n mod n²; too small a key for use, fine for checking the arithmetic.
const n =
  0xfffffffffffffffffffffffffffffffdffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff80000000000000000000000000000001n
const lambda =
  0x2aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa9ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffd5555555555555555555555555555556n
const mu =
  0x9b36ca9b354a9a754a3a751a3a5d1a2d264c9326499324c99264c9326499324c99324c99264c9326499324c99264c93264c9326499324c99264c9326499324c992d72e2d172e8d175e8d2f5e992f649936n
const vectors = {
  plus42:
    0x93f6fdffaa33a487a7dbb302aeac10a106ce013dc1f52ecce3ee86d7ffa4aa88a1563631164247756db5a6ac9120102aceaf6be0b0d1db57ed912a86beed258cfc5c82c78cd02669489ef45c4d3c4da8c38b6d7e7f4560c1f93c1a2c4e0b23e9d85f1fa8e083b28975d08dc2b9af99e2d0ddad4057eb5597fb3738a599850b5f7e633848d36033cd71902a06cda97986eece668c95ee2e6b98379661dd376ac50e67n,
  minus7:
    0xa34116888ff03878e151398ee9478652d9a3cc234ed23363d73518331ff255cea7abd8949820a5670c1bb76a02f9ce970346939446ff2e33ea49cc48afacdf50ea4eb79278da3e0912a5e5008ff09b74a0d67ada0470a25345bd68ed258278026251065e2ed851c9fefbf6e26ea8f5443573da0e6da6a5d172f8af618c5400ad5d2869689719360ed554508f85aaa0fb4dd09898b5b4a3d9c2a23abf6b96ae2c40e3n,
  product:
    0xc238491e4b04c89099906533cd23ff80e62a5c65ec84eacc07edadaeb730fed75e2d2ecf4578a992ecadfb024809ab75ecdee580bb66d8692e8562867e6aeb5577a3f5846cc42b094a839c98474ee8decdabcc1ec3d7100a806e32d5381a9b766364eddeeeae9ecc9762c768d858a6e6fabf7ea3463448b8052d8ef0fef061f5a63d6c69f82384cb088309a9d6c102cc5c1c1556d49d3f28b548dd15628e622c9697n,
}
const publicKey = paillierPublicKey(n)
const privateKey = new PaillierPrivateKey(lambda, mu, publicKey)

describe('paillier', () => {
  it('matches the vectors: encryption with a fixed r, addition as a product, signed opening', () => {
    expect(encryptPaillier(publicKey, 42n, 12345n)).toBe(vectors.plus42)
    expect(encryptPaillier(publicKey, -7n, 67890n)).toBe(vectors.minus7)
    expect(addPaillier(publicKey, [vectors.plus42, vectors.minus7])).toBe(vectors.product)
    expect(decryptPaillier(privateKey, vectors.product)).toBe(35n)
    expect(decryptPaillier(privateKey, vectors.minus7)).toBe(-7n)
  })

  it('adds many signed values under a fresh key; equal values encrypt differently', async () => {
    const keys = await generatePaillierKeys(512)
    const values = [5n, -3n, 1_000_000n, 0n, -999n, 2n ** 100n]
    const ciphertexts = values.map(v => encryptPaillier(keys.publicKey, v))
    expect(decryptPaillier(keys.privateKey, addPaillier(keys.publicKey, ciphertexts))).toBe(
      values.reduce((a, b) => a + b),
    )
    expect(encryptPaillier(keys.publicKey, 5n)).not.toBe(ciphertexts[0])
    expect(addPaillier(keys.publicKey, [ciphertexts[1]!])).toBe(ciphertexts[1])
  })

  it('encrypts with the short randomizer hs^α into ordinary ciphertexts: they open, add and differ', () => {
    const a = encryptPaillier(publicKey, 42n)
    const b = encryptPaillier(publicKey, -7n)
    expect(a).not.toBe(encryptPaillier(publicKey, 42n))
    expect(decryptPaillier(privateKey, a)).toBe(42n)
    expect(decryptPaillier(privateKey, addPaillier(publicKey, [a, b, vectors.plus42]))).toBe(77n)
  })

  it('derives the randomizer base from n alone: the same for every encryptor, a unit of the form −x²', () => {
    const h = randomizerBase(n)
    expect(randomizerBase(n)).toBe(h)
    expect(randomizerBase(n + 2n)).not.toBe(h)
    expect(h > 1n && h < n).toBe(true)
    // −h = x² is a square mod each prime factor: Euler's criterion at p = 2^127 − 1
    const p = 2n ** 127n - 1n
    let power = 1n
    for (let b = (n - h) % p, e = (p - 1n) / 2n; e > 0n; e >>= 1n, b = (b * b) % p)
      if (e & 1n) power = (power * b) % p
    expect(power).toBe(1n)
  })

  it('refuses what is not a ciphertext of the key, values too large, and bad key sizes', async () => {
    for (const c of [0n, publicKey._n2, publicKey._n2 + 5n, n, -1n])
      expect(() => addPaillier(publicKey, [vectors.plus42, c])).toThrow(InvalidInputError)
    expect(() => addPaillier(publicKey, [])).toThrow(InvalidInputError)
    expect(() => encryptPaillier(publicKey, n / 2n)).toThrow(/too large/)
    expect(() => encryptPaillier(publicKey, -(n / 2n))).toThrow(/too large/)
    await expect(generatePaillierKeys(256)).rejects.toThrow(InvalidInputError)
    expect(() => paillierPublicKey(2n ** 600n)).toThrow(InvalidInputError)
  })

  it('stores a private key as a record and refuses one that does not match its modulus', () => {
    const record = encodePaillierPrivateKey(privateKey)
    expect(decryptPaillier(decodePaillierPrivateKey(record), vectors.plus42)).toBe(42n)
    expect(() => decodePaillierPrivateKey({ ...record, mu: 'abc' })).toThrow(MalformedRecordError)
    expect(() => decodePaillierPrivateKey({ ...record, v: 2 })).toThrow(MalformedRecordError)
    expect(() => decodePaillierPrivateKey(null)).toThrow(MalformedRecordError)
  })

  it('encodes ciphertexts at one width per key and names keys by fingerprint', () => {
    expect(ciphertextToHex(publicKey, 5n)).toHaveLength(
      ciphertextToHex(publicKey, vectors.plus42).length,
    )
    expect(BigInt(`0x${ciphertextToHex(publicKey, vectors.plus42)}`)).toBe(vectors.plus42)
    expect(paillierKeyId(publicKey)).toMatch(/^[0-9a-f]{16}$/)
    expect(paillierKeyId(paillierPublicKey(n + 2n))).not.toBe(paillierKeyId(publicKey))
  })
})
