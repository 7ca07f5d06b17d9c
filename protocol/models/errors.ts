/** Why a model is refused: each names what is wrong, and none is worth retrying on another node. */
import { SealnetError } from '../sealnet-error.ts'

export class ModelInvalidError extends SealnetError {
  readonly code = 'model-invalid'
  constructor(problem: string) {
    super(`the model is not one Sealnet runs: ${problem}`)
  }
}

export class ModelTooLargeError extends SealnetError {
  readonly code = 'model-too-large'
  constructor(bytes: number, limit: number) {
    super(
      `the model is ${bytes} bytes; a node loads at most ${limit} (${limit / 2 ** 20} MiB) into memory beside the records`,
    )
  }
}

export class ModelInputWidthError extends SealnetError {
  readonly code = 'model-input-width'
  constructor(width: number | string, columns: number) {
    super(
      `the model reads ${width} features a record; the job gives it ${columns} column${columns === 1 ? '' : 's'} (name exactly the model's inputs with --inputs)`,
    )
  }
}

export class ModelHashMismatchError extends SealnetError {
  readonly code = 'model-hash-mismatch'
  constructor(expected: string, found: string) {
    super(
      `the model read has SHA-256 ${found.slice(0, 16)}…; the job names ${expected.slice(0, 16)}… (the model dataset is not the one submitted)`,
    )
  }
}
