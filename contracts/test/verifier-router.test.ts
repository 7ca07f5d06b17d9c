import { Contract, id } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deployContract } from '../../dev-chain/deploy-ledger.ts'
import { loadArtifact } from '../../protocol/ledger/index.ts'
import {
  ACCEPTED_PROOF,
  decoded,
  type Fixture,
  refusedWith,
  startFixture,
} from '../../test/ledger-fixture.ts'

const KIND = id('kind/2')
const COMMITMENT = id('input')
const RESULT = id('result')

describe('JobVerifierRouter', () => {
  let f: Fixture
  let router: Contract
  let accepting: string
  beforeAll(async () => {
    f = await startFixture()
    const { alice } = f.accounts
    const address = await deployContract(alice.signer, 'JobVerifierRouter', [alice.address])
    router = new Contract(address, loadArtifact('JobVerifierRouter').abi, alice.signer)
    accepting = await deployContract(alice.signer, 'test/FixedVerifier', [ACCEPTED_PROOF])
  })
  afterAll(() => f.chain.close())

  const verify = (kind: string, proof = ACCEPTED_PROOF) =>
    router.verifyJobProof!(kind, COMMITMENT, RESULT, proof, []) as Promise<boolean>

  it('adds a kind in one transaction by its registrar, with an event; the kind then verifies', async () => {
    expect(await verify(KIND)).toBe(false)
    const receipt = await (await router.registerVerifier!(KIND, accepting)).wait()
    const event = router.interface.parseLog(receipt.logs[0])!
    expect([event.name, event.args.kind, event.args.verifier, event.args.registrar]).toEqual([
      'JobVerifierRegistered',
      KIND,
      accepting,
      f.accounts.alice.address,
    ])
    expect(await router.verifierOf!(KIND)).toBe(accepting)
    expect(await verify(KIND)).toBe(true)
    expect(await verify(KIND, '0x00')).toBe(false)
  })

  it('refuses a registration by a non-registrar, a second verifier for a kind, and the zero address', async () => {
    const other = router.connect(f.accounts.bob.signer) as Contract
    await refusedWith(
      decoded(other.registerVerifier!(id('kind/3'), accepting)),
      'AccessControlUnauthorizedAccount',
    )
    await refusedWith(
      decoded(router.registerVerifier!(KIND, accepting)),
      'JobVerifierRouterKindTaken',
    )
    await refusedWith(
      decoded(router.registerVerifier!(id('kind/3'), '0x0000000000000000000000000000000000000000')),
      'JobVerifierRouterInvalidVerifier',
    )
    expect(await router.verifierOf!(id('kind/3'))).toBe(
      '0x0000000000000000000000000000000000000000',
    )
  })

  it('lets its admin make another account a registrar', async () => {
    await (await router.grantRole!(await router.REGISTRAR_ROLE!(), f.accounts.bob.address)).wait()
    const bob = router.connect(f.accounts.bob.signer) as Contract
    await (await bob.registerVerifier!(id('kind/3'), accepting)).wait()
    expect(await verify(id('kind/3'))).toBe(true)
  })
})
