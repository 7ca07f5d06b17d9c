/** Typed errors of the proof package. */

export class CircuitNotBuiltError extends Error {
  static override name = 'CircuitNotBuiltError'
  constructor(circuit: string) {
    super(
      `Circuit ${circuit} is not built: run "npm run setup:circuits" (add "-- --sizes N" for other chunk sizes)`,
    )
    this.name = CircuitNotBuiltError.name
  }
}

/** Inputs a circuit can't prove: wrong count, out of range, not matching the commitment. */
export class InvalidWitnessError extends Error {
  static override name = 'InvalidWitnessError'
  constructor(message: string) {
    super(message)
    this.name = InvalidWitnessError.name
  }
}

/** A job result's opening (numbers and salt) that is not what a chunk proof committed to. */
export class ResultOpeningError extends Error {
  static override name = 'ResultOpeningError'
  constructor(chunk: number, problem: string) {
    super(`chunk ${chunk}: ${problem}`)
    this.name = ResultOpeningError.name
  }
}
