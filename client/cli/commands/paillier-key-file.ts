/**
 * A Paillier public key as a file, for the members who encrypt values for `sum` jobs:
 * `{ "format": "sealnet-paillier-public-v1", "keyId": "…", "n": "<hex>" }`. It holds
 * nothing secret; the private key stays a sealed secret of its holder.
 * @module
 */
import { readFile } from 'node:fs/promises'
import * as z from 'zod'
import {
  type PaillierPublicKey,
  paillierKeyId,
  paillierPublicKey,
} from '../../../protocol/crypto/index.ts'
import { UsageError } from '../io.ts'

const PublicKeyFileSchema = z.strictObject({
  format: z.literal('sealnet-paillier-public-v1'),
  keyId: z.string().regex(/^[0-9a-f]{16}$/),
  n: z.string().regex(/^[0-9a-f]{128,4096}$/, 'must be lower-case hex of at least 512 bits'),
})

export function paillierPublicKeyFile(publicKey: PaillierPublicKey): string {
  const file = {
    format: 'sealnet-paillier-public-v1',
    keyId: paillierKeyId(publicKey),
    n: publicKey.n.toString(16),
  }
  return `${JSON.stringify(file, null, 2)}\n`
}

/** The key in `path`; UsageError naming the file and what is wrong (a fingerprint that does not match, say). */
export async function readPaillierPublicKey(path: string): Promise<PaillierPublicKey> {
  let json: unknown
  try {
    json = JSON.parse(await readFile(path, 'utf8'))
  } catch (err) {
    throw new UsageError(`--paillier ${path}: ${(err as Error).message}`)
  }
  const parsed = PublicKeyFileSchema.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new UsageError(
      `--paillier ${path}: ${issue.path.join('.') || 'the file'} ${issue.message} (expected a file written by "sealnet sum-key create")`,
    )
  }
  const publicKey = paillierPublicKey(BigInt(`0x${parsed.data.n}`))
  if (paillierKeyId(publicKey) !== parsed.data.keyId)
    throw new UsageError(`--paillier ${path}: keyId does not match n (the file was altered)`)
  return publicKey
}
