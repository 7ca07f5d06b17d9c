/** Typed errors of the client SDK. */

import { SealnetError } from '../../protocol/sealnet-error.ts'

export class UnknownIdentityError extends SealnetError {
  readonly code = 'unknown-identity'
  readonly identity: string
  constructor(identity: string) {
    super(`No public key is registered for "${identity}"; they must run "sealnet key init" first`)
    this.identity = identity
  }
}

export class IdentityExistsError extends SealnetError {
  readonly code = 'identity-exists'
  constructor(identity: string) {
    super(
      `"${identity}" already has a registered key with another fingerprint; key rotation is a separate, recorded step`,
    )
  }
}

export class OutputExistsError extends SealnetError {
  readonly code = 'output-exists'
  constructor(path: string) {
    super(`${path} already exists; choose another output path or remove it first`)
  }
}

export class NoChainError extends SealnetError {
  readonly code = 'no-chain'
}

export class UnknownProjectError extends SealnetError {
  readonly code = 'unknown-project'
  constructor(project: string) {
    super(
      `No project "${project}" on this chain; check the name (or the 0x id) and the --rpc/--deployment you are using`,
    )
  }
}

export class NoGrantError extends SealnetError {
  readonly code = 'no-grant'
  constructor(project: string, identity: string, version?: number) {
    super(
      version === undefined
        ? `${identity} holds no key of project "${project}": a project admin must share it first ("sealnet project share")`
        : `${identity} holds no key version ${version} of project "${project}": that data was sealed before you were given the key`,
    )
  }
}

export class UnknownDatasetError extends SealnetError {
  readonly code = 'unknown-dataset'
  constructor(project: string, dataset: string) {
    super(`project "${project}" has no dataset "${dataset}" on the ledger`)
  }
}

export class NoProjectNodesError extends SealnetError {
  readonly code = 'no-project-nodes'
  constructor(project: string) {
    super(
      `no node holds the current key of project "${project}": authorize one first ("sealnet node authorize")`,
    )
  }
}

export class DatasetExistsError extends SealnetError {
  readonly code = 'dataset-exists'
  constructor(project: string, dataset: string) {
    super(
      `project "${project}" already has a dataset "${dataset}" (its root on chain never changes): upload under another --dataset name`,
    )
  }
}

export class ProjectExistsError extends SealnetError {
  readonly code = 'project-exists'
  constructor(project: string) {
    super(`a project named "${project}" already exists on the ledger: choose another name`)
  }
}
