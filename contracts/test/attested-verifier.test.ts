import { Contract, id } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deployContract } from '../../dev-chain/deploy-ledger.ts'
import { attestedInputCommitment, attestedSignals } from '../../protocol/job-kinds/index.ts'
import { loadArtifact } from '../../protocol/ledger/index.ts'
import { type Fixture, startFixture } from '../../test/ledger-fixture.ts'

describe('AttestedJobVerifier', () => {
  let f: Fixture
  let verifier: Contract
  const root = id('dataset root')
  const model = 'ab'.repeat(32)
  const result = id('result')
  beforeAll(async () => {
    f = await startFixture({ verifier: false })
    const address = await deployContract(f.accounts.alice.signer, 'AttestedJobVerifier', [])
    verifier = new Contract(
      address,
      loadArtifact('AttestedJobVerifier').abi,
      f.accounts.alice.signer,
    )
  })
  afterAll(() => f.chain.close())

  const verify = (commitment: string, signals: bigint[], resultHash = result, proof = '0x') =>
    verifier.verifyJobProof!(id('onnx'), commitment, resultHash, proof, signals) as Promise<boolean>

  it('accepts a completion stating the dataset root and model the job committed to', async () => {
    expect(await verify(attestedInputCommitment(root, model), attestedSignals(root, model))).toBe(
      true,
    )
    // a training run has no model: its hash is 0
    expect(await verify(attestedInputCommitment(root), attestedSignals(root))).toBe(true)
  })

  it('refuses another model or dataset, missing signals, proof bytes, an empty result hash', async () => {
    const committed = attestedInputCommitment(root, model)
    expect(await verify(committed, attestedSignals(root, 'cd'.repeat(32)))).toBe(false)
    expect(await verify(committed, attestedSignals(id('other root'), model))).toBe(false)
    expect(await verify(committed, attestedSignals(root))).toBe(false)
    expect(await verify(committed, [BigInt(root)])).toBe(false)
    expect(await verify(committed, attestedSignals(root, model), result, '0x01')).toBe(false)
    expect(await verify(committed, attestedSignals(root, model), `0x${'00'.repeat(32)}`)).toBe(
      false,
    )
  })
})
