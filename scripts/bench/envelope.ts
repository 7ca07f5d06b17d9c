/**
 * Envelope seal/open throughput against raw AES-256-GCM from node:crypto on the same
 * buffers: what the header, the associated data and the framing cost.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { openEnvelope, sealEnvelope, sealEnvelopeParts } from '../../protocol/crypto/index.ts'
import { type BenchOptions, type BenchResult, interleave, ratioResult, timeMs } from './measure.ts'

const key = { id: randomBytes(16), version: 1, key: randomBytes(32) }
const context = { projectId: 'bench', objectId: 'object', chunkIndex: 0 }

function rawSeal(plaintext: Uint8Array, nonce: Uint8Array) {
  const cipher = createCipheriv('aes-256-gcm', key.key, nonce)
  const body = cipher.update(plaintext)
  cipher.final()
  return { body, tag: cipher.getAuthTag() }
}

function rawOpen(sealed: { body: Uint8Array; tag: Uint8Array }, nonce: Uint8Array) {
  const decipher = createDecipheriv('aes-256-gcm', key.key, nonce)
  decipher.setAuthTag(sealed.tag)
  const plaintext = decipher.update(sealed.body)
  decipher.final()
  return plaintext
}

export function benchEnvelope(options: BenchOptions): BenchResult[] {
  const results: BenchResult[] = []
  const runs = options.quick ? 9 : 25
  for (const [label, size, perRun] of [
    ['1mib', 1024 * 1024, 64],
    ['64kib', 64 * 1024, 1024],
  ] as const) {
    const plaintext = randomBytes(size)
    const nonce = randomBytes(12)
    const megabytes = (size * perRun) / 1024 / 1024
    const throughput = (work: () => void) => megabytes / (timeMs(() => repeat(perRun, work)) / 1000)
    const sealed = sealEnvelope(key, context, plaintext)
    const raw = rawSeal(plaintext, nonce)
    const target = label === '1mib' ? '>= 0.8' : null
    const encrypt = `node:crypto AES-256-GCM encrypt of the same ${label} buffer`
    const row = (
      id: string,
      baseline: string,
      rowTarget: string | null,
      ours: () => void,
      base: () => void,
    ) =>
      ratioResult(
        { id, baseline, target: rowTarget, sampleUnit: 'MiB/s' },
        interleave(
          runs,
          () => throughput(ours),
          () => throughput(base),
        ),
        (o, b) => o / b,
      )
    results.push(
      // the path objects, files and streams take: header, body and tag written in turn
      row(
        `envelope.seal_${label}.vs_raw_gcm`,
        encrypt,
        target,
        () => sealEnvelopeParts(key, context, plaintext),
        () => rawSeal(plaintext, nonce),
      ),
      // one contiguous buffer: pays for a second fresh allocation of the chunk (see README)
      row(
        `envelope.seal_${label}_contiguous.vs_raw_gcm`,
        encrypt,
        null,
        () => sealEnvelope(key, context, plaintext),
        () => rawSeal(plaintext, nonce),
      ),
      row(
        `envelope.open_${label}.vs_raw_gcm`,
        `node:crypto AES-256-GCM decrypt of the same ${label} buffer`,
        target,
        () => openEnvelope(key, context, sealed),
        () => rawOpen(raw, nonce),
      ),
    )
  }
  return results
}

function repeat(times: number, work: () => void): void {
  for (let i = 0; i < times; i++) work()
}
