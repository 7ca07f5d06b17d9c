/**
 * The EVM account of a master key: derived from the RSA private key, so a node (or a
 * user) that can re-derive its master key from its secret also has its ledger account,
 * with nothing else to store. On a development chain it is funded from the endpoint's
 * own accounts; on a real chain its operator funds the address it prints.
 * @module
 */

import { createHash, type KeyObject } from 'node:crypto'
import { parseEther, Wallet } from 'ethers'
import { SealnetError } from '../sealnet-error.ts'
import type { Chain } from './chain.ts'

const SECP256K1_ORDER = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n

/**
 * @example const wallet = evmWalletOf(nodeKey.privateKey).connect(provider)
 */
export function evmWalletOf(privateKey: KeyObject): Wallet {
  const der = privateKey.export({ type: 'pkcs8', format: 'der' })
  for (let counter = 0; ; counter++) {
    const digest = createHash('sha256')
      .update(`sealnet/evm-account/v1\0${counter}\0`)
      .update(der)
      .digest('hex')
    const scalar = BigInt(`0x${digest}`)
    if (scalar > 0n && scalar < SECP256K1_ORDER) return new Wallet(`0x${digest}`)
  }
}

/** Gas money a development chain gives a fresh account. */
export const DEV_FUNDING = parseEther('10')

/**
 * Funds `address` from the endpoint's first unlocked account if it has no balance and the
 * endpoint has one (Hardhat, anvil). Returns false on a chain without unlocked accounts:
 * there, the operator funds the address.
 */
export async function fundFromDevAccount(
  provider: Chain['provider'],
  address: string,
): Promise<boolean> {
  if ((await provider.getBalance(address)) > 0n) return true
  if ((await provider.listAccounts()).length === 0) return false
  const funder = await provider.getSigner(0)
  await (await funder.sendTransaction({ to: address, value: DEV_FUNDING })).wait()
  return true
}

export class AccountUnfundedError extends SealnetError {
  readonly code = 'account-unfunded'
  constructor(address: string, chainId: bigint) {
    super(
      `the ledger account ${address} has no funds on chain ${chainId}, and the endpoint has no development account to fund it from: send it gas money, then run this again`,
    )
  }
}

/**
 * The master key's own EVM account on `chain`; with `fund`, a development chain tops it up
 * and a real one without funds throws AccountUnfundedError naming the address.
 */
export async function ownWallet(
  chain: Chain,
  privateKey: KeyObject,
  options: { fund?: boolean } = {},
): Promise<Wallet> {
  const wallet = evmWalletOf(privateKey).connect(chain.provider)
  if (options.fund && !(await fundFromDevAccount(chain.provider, wallet.address)))
    throw new AccountUnfundedError(wallet.address, (await chain.provider.getNetwork()).chainId)
  return wallet
}
