/** Typed errors of the ledger bindings. */

/** The chain endpoint did not answer. */
export class LedgerUnreachableError extends Error {
  static override name = 'LedgerUnreachableError'
  constructor(url: string, cause: string) {
    super(
      `The chain at ${url} did not answer (${cause}); check the URL and that the node is running`,
    )
    this.name = LedgerUnreachableError.name
  }
}

/** The chain has no Sealnet contracts where the deployment says. */
export class LedgerNotDeployedError extends Error {
  static override name = 'LedgerNotDeployedError'
  constructor(contract: string, address: string, chainId: bigint) {
    super(
      `No ${contract} contract at ${address} on chain ${chainId}: wrong deployment file, or a chain without the Sealnet contracts`,
    )
    this.name = LedgerNotDeployedError.name
  }
}

/** The contracts are not compiled in this checkout. */
export class ContractsNotBuiltError extends Error {
  static override name = 'ContractsNotBuiltError'
  constructor(contract: string) {
    super(
      `Compiled contract ${contract} not found: run "npm run build:contracts" (npm install does it too)`,
    )
    this.name = ContractsNotBuiltError.name
  }
}

/** A contract refused a call; `reason` is its custom error, e.g. ProjectsMissingRole. */
export class LedgerRevertError extends Error {
  static override name = 'LedgerRevertError'
  readonly reason: string
  readonly args: readonly unknown[]
  constructor(reason: string, args: readonly unknown[]) {
    super(`The ledger refused: ${reason}(${args.map(String).join(', ')})`)
    this.name = LedgerRevertError.name
    this.reason = reason
    this.args = args
  }
}

/** A deployment file that is not valid JSON of the expected shape. */
export class MalformedDeploymentError extends Error {
  static override name = 'MalformedDeploymentError'
  constructor(message: string) {
    super(message)
    this.name = MalformedDeploymentError.name
  }
}
