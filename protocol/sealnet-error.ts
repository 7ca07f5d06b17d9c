/**
 * The base of every Sealnet error. `name` is the class's own name (callers and tests
 * branch on it, never on message text); `code` is a stable kebab-case id that outlives a
 * class's rename: the job runner records failures on chain by it, and the CLI prints it.
 */
export abstract class SealnetError extends Error {
  abstract readonly code: string
  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = new.target.name
  }
}

/** The stable code of any thrown value: a SealnetError's own, else 'unexpected'. */
export function errorCode(err: unknown): string {
  return err instanceof SealnetError ? err.code : 'unexpected'
}
