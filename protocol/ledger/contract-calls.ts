/** Sending transactions and calling views on the Sealnet contracts, reverts decoded. */

import type { BaseContract, Contract, ContractTransactionReceipt } from 'ethers'
import { decodeRevert } from './decode-revert.ts'

/** Per signing account (its runner), the last transaction being signed and sent. */
const sending = new WeakMap<object, Promise<void>>()

/**
 * Sends a transaction and waits for its receipt. An account signs and sends one
 * transaction at a time (the wait for mining is not serialized): two sent at once
 * both took the pending nonce, and one failed, as a node claiming several jobs at once
 * under load showed.
 */
export async function sendTransaction(
  contract: BaseContract,
  method: string,
  args: unknown[],
): Promise<ContractTransactionReceipt> {
  const runner = (contract as Contract).runner as object
  const submitted = (sending.get(runner) ?? Promise.resolve()).then(() =>
    (contract as Contract).getFunction(method)(...args),
  )
  sending.set(
    runner,
    submitted.then(
      () => undefined,
      () => undefined,
    ),
  )
  try {
    const tx = await submitted
    return (await tx.wait()) as ContractTransactionReceipt
  } catch (err) {
    decodeRevert(err)
  }
}

export async function callContract<T>(
  contract: Contract,
  method: string,
  args: unknown[],
): Promise<T> {
  try {
    return (await contract.getFunction(method)(...args)) as T
  } catch (err) {
    decodeRevert(err)
  }
}
