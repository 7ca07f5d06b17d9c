/** Typed errors of the client SDK. */

export class UnknownIdentityError extends Error {
  static override name = 'UnknownIdentityError'
  readonly identity: string
  constructor(identity: string) {
    super(`No public key is registered for "${identity}"; they must run "sealnet key init" first`)
    this.name = UnknownIdentityError.name
    this.identity = identity
  }
}

export class IdentityExistsError extends Error {
  static override name = 'IdentityExistsError'
  constructor(identity: string) {
    super(
      `"${identity}" already has a registered key with another fingerprint; key rotation is a separate, recorded step`,
    )
    this.name = IdentityExistsError.name
  }
}

export class OutputExistsError extends Error {
  static override name = 'OutputExistsError'
  constructor(path: string) {
    super(`${path} already exists; choose another output path or remove it first`)
    this.name = OutputExistsError.name
  }
}

export class NoChainError extends Error {
  static override name = 'NoChainError'
  constructor(message: string) {
    super(message)
    this.name = NoChainError.name
  }
}

export class UnknownProjectError extends Error {
  static override name = 'UnknownProjectError'
  constructor(project: string) {
    super(
      `No project "${project}" on this chain; check the name (or the 0x id) and the --rpc/--deployment you are using`,
    )
    this.name = UnknownProjectError.name
  }
}

export class NoGrantError extends Error {
  static override name = 'NoGrantError'
  constructor(project: string, identity: string, version?: number) {
    super(
      version === undefined
        ? `${identity} holds no key of project "${project}": a project admin must share it first ("sealnet project share")`
        : `${identity} holds no key version ${version} of project "${project}": that data was sealed before you were given the key`,
    )
    this.name = NoGrantError.name
  }
}

export class UnknownDatasetError extends Error {
  static override name = 'UnknownDatasetError'
  constructor(project: string, dataset: string) {
    super(`project "${project}" has no dataset "${dataset}" on the ledger`)
    this.name = UnknownDatasetError.name
  }
}

export class NoProjectNodesError extends Error {
  static override name = 'NoProjectNodesError'
  constructor(project: string) {
    super(
      `no node holds the current key of project "${project}": authorize one first ("sealnet node authorize")`,
    )
    this.name = NoProjectNodesError.name
  }
}

export class DatasetExistsError extends Error {
  static override name = 'DatasetExistsError'
  constructor(project: string, dataset: string) {
    super(
      `project "${project}" already has a dataset "${dataset}" (its root on chain never changes): upload under another --dataset name`,
    )
    this.name = DatasetExistsError.name
  }
}

export class ProjectExistsError extends Error {
  static override name = 'ProjectExistsError'
  constructor(project: string) {
    super(`a project named "${project}" already exists on the ledger: choose another name`)
    this.name = ProjectExistsError.name
  }
}
