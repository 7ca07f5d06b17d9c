/** Typed errors of the proof package. */

import { SealnetError } from '../sealnet-error.ts'

export class CircuitNotBuiltError extends SealnetError {
  readonly code = 'circuit-not-built'
  constructor(circuit: string) {
    super(
      `Circuit ${circuit} is not built: run "npm run setup:circuits" (add "-- --sizes N" for other chunk sizes)`,
    )
  }
}

/** Inputs a circuit can't prove: wrong count, out of range, not matching the commitment. */
export class InvalidWitnessError extends SealnetError {
  readonly code = 'invalid-witness'
}

/** A job result's opening (numbers and salt) that is not what a chunk proof committed to. */
export class ResultOpeningError extends SealnetError {
  readonly code = 'result-opening'
  constructor(chunk: number, problem: string) {
    super(`chunk ${chunk}: ${problem}`)
  }
}
