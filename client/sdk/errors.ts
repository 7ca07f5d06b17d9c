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
