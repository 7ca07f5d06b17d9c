/** A fresh in-process chain with the contracts deployed, named accounts and their master keys. */
import type { Signer } from 'ethers'
import {
  deployContract,
  deployJobVerifiers,
  deployLedger,
  startInProcessChain,
} from '../dev-chain/index.ts'
import {
  createMasterKeyRecord,
  deriveMasterKey,
  type MasterKey,
  type MasterKeyParams,
  type MasterKeyRecord,
} from '../protocol/crypto/index.ts'
import { type Chain, decodeRevert, Ledger } from '../protocol/ledger/index.ts'
import type { JobCircuitSizes } from '../protocol/wire/index.ts'

const FAST: MasterKeyParams = { bits: 2048, kdf: { name: 'scrypt', N: 1024, r: 8, p: 1 } }
export const ACCEPTED_PROOF = '0x5ea1'

export interface Account {
  name: string
  signer: Signer
  address: string
  ledger: Ledger
  record: MasterKeyRecord
  key: MasterKey
}

export interface Fixture {
  chain: Chain
  /** alice, bob, carol, dave and node1 … node<N> (3 unless asked for more). */
  accounts: Record<'alice' | 'bob' | 'carol' | 'dave' | 'node1' | 'node2' | 'node3', Account> &
    Record<string, Account>
}

/**
 * Deploys with a test verifier that accepts exactly ACCEPTED_PROOF, or with none
 * (`verifier: false`), or with the real Groth16 verifiers of the given circuit sizes;
 * `nodes` node accounts.
 */
export async function startFixture(
  options: { verifier?: boolean | JobCircuitSizes; nodes?: number } = {},
): Promise<Fixture> {
  const chain = await startInProcessChain()
  const deployer = await chain.provider.getSigner(0)
  let verifier: string | undefined
  if (typeof options.verifier === 'object') {
    verifier = await deployJobVerifiers(deployer, options.verifier)
  } else if (options.verifier !== false) {
    verifier = await deployContract(deployer, 'test/FixedVerifier', [ACCEPTED_PROOF])
  }
  const deployment = await deployLedger(deployer, { verifier })
  const names = [
    ...['alice', 'bob', 'carol', 'dave'],
    ...Array.from({ length: Math.max(options.nodes ?? 3, 3) }, (_, i) => `node${i + 1}`),
  ]
  const accounts = {} as Fixture['accounts']
  for (const [i, name] of names.entries()) {
    const signer = await chain.provider.getSigner(i + 1)
    const key = await deriveMasterKey(`${name} password`, name, FAST)
    accounts[name] = {
      name,
      signer,
      address: await signer.getAddress(),
      ledger: await Ledger.connect(signer, deployment),
      record: createMasterKeyRecord(key),
      key,
    }
  }
  return { chain, accounts }
}

/** Asserts that `work` is refused by the ledger with custom error `reason`. */
export async function refusedWith(work: Promise<unknown>, reason: string): Promise<unknown[]> {
  try {
    await work
  } catch (err) {
    const e = err as { name: string; reason?: string; args?: unknown[] }
    if (e.name === 'LedgerRevertError' && e.reason === reason) return e.args ?? []
    throw new Error(
      `expected ${reason}, got ${e.name}${e.reason ? ` ${e.reason}` : ''}: ${(err as Error).message}`,
    )
  }
  throw new Error(`expected ${reason}, but the call succeeded`)
}

/** A raw contract call (one the Ledger wrapper rules out) with its revert decoded. */
export function decoded<T>(call: Promise<T>): Promise<T> {
  return call.catch(decodeRevert)
}
