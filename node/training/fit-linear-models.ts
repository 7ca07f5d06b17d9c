/**
 * Fitting the two linear models a node trains on a sealed table: least squares
 * (`train-linear`) and logistic regression (`train-logistic`, by Newton's method, which
 * converges in a few steps where plain gradient descent takes thousands). Both fit on
 * standardized features with a small L2 penalty, then fold the scaling back into the
 * weights, so the model reads features as they were uploaded. Deterministic: the same
 * records give the same weights, which is how a reader of the data re-checks a result.
 * @module
 */
import { Matrix, solve } from 'ml-matrix'
import { SealnetError } from '../../protocol/sealnet-error.ts'

/** Records are split, every HELD_OUT_EVERY-th one held out to measure the fit. */
export const HELD_OUT_EVERY = 5
/** Fewer records than this leave nothing meaningful to hold out. */
export const MIN_TRAINING_RECORDS = 10
const NEWTON_STEPS = 50

export interface LinearFit {
  weights: number[]
  bias: number
}

export class TrainingDataError extends SealnetError {
  readonly code = 'dataset-shape'
}

/** Records r with r % HELD_OUT_EVERY === HELD_OUT_EVERY - 1 are held out; the rest train. */
export function splitHeldOut(records: number): { train: number[]; heldOut: number[] } {
  if (records < MIN_TRAINING_RECORDS)
    throw new TrainingDataError(
      `training needs at least ${MIN_TRAINING_RECORDS} records; got ${records}`,
    )
  const train: number[] = []
  const heldOut: number[] = []
  for (let r = 0; r < records; r++)
    (r % HELD_OUT_EVERY === HELD_OUT_EVERY - 1 ? heldOut : train).push(r)
  return { train, heldOut }
}

/** The rows `rows` of `features` (width a record), standardized, with a leading 1 column. */
function design(features: Float32Array, width: number, rows: readonly number[]) {
  const mean = new Array<number>(width).fill(0)
  const std = new Array<number>(width).fill(0)
  for (const r of rows)
    for (let c = 0; c < width; c++) mean[c]! += features[r * width + c]! / rows.length
  for (const r of rows)
    for (let c = 0; c < width; c++)
      std[c]! += (features[r * width + c]! - mean[c]!) ** 2 / rows.length
  // a constant column scales by 1: its weight is then 0 under the penalty
  const scale = std.map(v => (v > 0 ? Math.sqrt(v) : 1))
  const x = new Matrix(rows.length, width + 1)
  rows.forEach((r, i) => {
    x.set(i, 0, 1)
    for (let c = 0; c < width; c++)
      x.set(i, c + 1, (features[r * width + c]! - mean[c]!) / scale[c]!)
  })
  return { x, mean, scale }
}

/** Weights over standardized features (intercept first) back to the features as given. */
function unscale(
  beta: readonly number[],
  mean: readonly number[],
  scale: readonly number[],
): LinearFit {
  const weights = scale.map((s, c) => beta[c + 1]! / s)
  const bias = beta[0]! - weights.reduce((sum, w, c) => sum + w * mean[c]!, 0)
  return { weights, bias }
}

/** The penalty matrix: λ on every weight but the intercept. */
function penalty(width: number, lambda: number): Matrix {
  const p = Matrix.eye(width + 1, width + 1, lambda)
  p.set(0, 0, 0)
  return p
}

/** Ridge least squares of `target` on the features of the `rows` records. */
export function fitLeastSquares(
  features: Float32Array,
  width: number,
  target: Float32Array,
  rows: readonly number[],
  lambda = 1e-6,
): LinearFit {
  const { x, mean, scale } = design(features, width, rows)
  const y = Matrix.columnVector(rows.map(r => target[r]!))
  const beta = solve(x.gram().add(penalty(width, lambda * rows.length)), x.transposeMultiply(y))
  return unscale(beta.to1DArray(), mean, scale)
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z))

/**
 * L2-penalized logistic regression of `labels` (0 or 1) on the features of the `rows`
 * records, by Newton's method. TrainingDataError if a label is neither.
 */
export function fitLogistic(
  features: Float32Array,
  width: number,
  labels: Float32Array,
  rows: readonly number[],
  lambda = 1e-4,
): LinearFit {
  for (const r of rows)
    if (labels[r] !== 0 && labels[r] !== 1)
      throw new TrainingDataError(
        `record ${r + 1}: a label of logistic regression is 0 or 1; got ${labels[r]}`,
      )
  const { x, mean, scale } = design(features, width, rows)
  const y = rows.map(r => labels[r]!)
  const reg = penalty(width, lambda * rows.length)
  let beta = Matrix.zeros(width + 1, 1)
  for (let step = 0; step < NEWTON_STEPS; step++) {
    const p = x.mmul(beta).to1DArray().map(sigmoid)
    const weighted = x.clone()
    p.forEach((pi, i) => {
      const w = Math.max(pi * (1 - pi), 1e-12)
      for (let c = 0; c <= width; c++) weighted.set(i, c, weighted.get(i, c) * w)
    })
    const hessian = x.transposeMultiply(weighted).add(reg)
    const gradient = x
      .transposeMultiply(Matrix.columnVector(y.map((yi, i) => yi - p[i]!)))
      .sub(reg.mmul(beta))
    const delta = solve(hessian, gradient)
    beta = beta.add(delta)
    if (Math.max(...delta.to1DArray().map(Math.abs)) < 1e-10) break
  }
  return unscale(beta.to1DArray(), mean, scale)
}

/** The fit's score of record r. */
export const score = (fit: LinearFit, features: Float32Array, width: number, r: number): number =>
  fit.weights.reduce((sum, w, c) => sum + w * features[r * width + c]!, fit.bias)

/** Root-mean-square error and R² of a least-squares fit over the `rows` records. */
export function regressionQuality(
  fit: LinearFit,
  features: Float32Array,
  width: number,
  target: Float32Array,
  rows: readonly number[],
): { rmse: number; r2: number } {
  const mean = rows.reduce((s, r) => s + target[r]!, 0) / rows.length
  let residual = 0
  let total = 0
  for (const r of rows) {
    residual += (target[r]! - score(fit, features, width, r)) ** 2
    total += (target[r]! - mean) ** 2
  }
  return { rmse: Math.sqrt(residual / rows.length), r2: total > 0 ? 1 - residual / total : 0 }
}

/** Accuracy (at 0.5) and mean log loss of a logistic fit over the `rows` records. */
export function classificationQuality(
  fit: LinearFit,
  features: Float32Array,
  width: number,
  labels: Float32Array,
  rows: readonly number[],
): { accuracy: number; logLoss: number } {
  let correct = 0
  let loss = 0
  for (const r of rows) {
    const p = Math.min(Math.max(sigmoid(score(fit, features, width, r)), 1e-15), 1 - 1e-15)
    if ((p >= 0.5 ? 1 : 0) === labels[r]) correct++
    loss -= labels[r] === 1 ? Math.log(p) : Math.log(1 - p)
  }
  return { accuracy: correct / rows.length, logLoss: loss / rows.length }
}
