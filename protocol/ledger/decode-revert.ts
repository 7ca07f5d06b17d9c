/**
 * Contract reverts as typed errors: the custom error's name and arguments, decoded with
 * every Sealnet contract's ABI from wherever ethers nested the revert data.
 * @module
 */
import { Interface } from 'ethers'
import { loadArtifact } from './artifacts.ts'
import { CONTRACTS } from './contracts.ts'
import { LedgerRevertError } from './errors.ts'

/** Every contract's errors in one interface, to decode a revert from wherever it came. */
let allErrors: Interface | undefined

/** Built on first use, so importing this module needs no compiled contracts (key commands don't). */
function errorsInterface(): Interface {
  // the router too: its registrar calls it directly (registerVerifier)
  allErrors ??= new Interface(
    [...Object.values(CONTRACTS), 'JobVerifierRouter'].flatMap(name =>
      (loadArtifact(name).abi as { type: string }[]).filter(item => item.type === 'error'),
    ),
  )
  return allErrors
}

function revertData(err: unknown): string | undefined {
  let current = err as { data?: unknown; error?: unknown; info?: { error?: unknown } } | undefined
  for (let depth = 0; depth < 5 && current; depth++) {
    if (
      typeof current.data === 'string' &&
      current.data.startsWith('0x') &&
      current.data.length >= 10
    )
      return current.data
    current = (current.error ?? current.info?.error) as typeof current
  }
  return undefined
}

/** Rethrows a contract revert as LedgerRevertError; anything else unchanged. */
export function decodeRevert(err: unknown): never {
  const data = revertData(err)
  const parsed = data === undefined ? null : errorsInterface().parseError(data)
  if (parsed) throw new LedgerRevertError(parsed.name, parsed.args.toArray())
  throw err
}
