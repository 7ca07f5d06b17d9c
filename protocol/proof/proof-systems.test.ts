import { describe, expect, it } from 'vitest'
import { proofSystemOf, verifyProof } from './proof-systems.ts'

describe('verifyProof', () => {
  it('refuses a proof naming a circuit Sealnet does not know, and one its system cannot read', async () => {
    const chunk = { circuit: 'toString', size: 8, proof: {}, publicSignals: ['1'] }
    await expect(verifyProof(chunk)).resolves.toBe(false)
    await expect(verifyProof({ ...chunk, circuit: 'stats', proof: { pi_a: 'x' } })).resolves.toBe(
      false,
    )
    expect(proofSystemOf('linear').name).toBe('groth16')
  })
})
