/** Typed errors of the ledger bindings. */

import { SealnetError } from '../sealnet-error.ts'

/** The chain endpoint did not answer. */
export class LedgerUnreachableError extends SealnetError {
  readonly code = 'ledger-unreachable'
  constructor(url: string, cause: string) {
    super(
      `The chain at ${url} did not answer (${cause}); check the URL and that the node is running`,
    )
  }
}

/** The chain has no Sealnet contracts where the deployment says. */
export class LedgerNotDeployedError extends SealnetError {
  readonly code = 'ledger-not-deployed'
  constructor(contract: string, address: string, chainId: bigint) {
    super(
      `No ${contract} contract at ${address} on chain ${chainId}: wrong deployment file, or a chain without the Sealnet contracts`,
    )
  }
}

/** The contracts are not compiled in this checkout. */
export class ContractsNotBuiltError extends SealnetError {
  readonly code = 'contracts-not-built'
  constructor(contract: string) {
    super(
      `Compiled contract ${contract} not found: run "npm run build:contracts" (npm install does it too)`,
    )
  }
}

/** A contract refused a call; `reason` is its custom error, e.g. ProjectsMissingRole. */
export class LedgerRevertError extends SealnetError {
  readonly code = 'ledger-revert'
  readonly reason: string
  readonly args: readonly unknown[]
  constructor(reason: string, args: readonly unknown[]) {
    super(`The ledger refused: ${reason}(${args.map(String).join(', ')})`)
    this.reason = reason
    this.args = args
  }
}

/** A deployment file that is not valid JSON of the expected shape. */
export class MalformedDeploymentError extends SealnetError {
  readonly code = 'malformed-deployment'
}
