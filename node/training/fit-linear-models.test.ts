import { describe, expect, it } from 'vitest'
import {
  classificationQuality,
  fitLeastSquares,
  fitLogistic,
  regressionQuality,
  splitHeldOut,
} from './fit-linear-models.ts'

/** A deterministic pseudo-random stream (xorshift), so the test data is the same each run. */
function stream(seed: number) {
  let s = seed
  return () => {
    s ^= s << 13
    s ^= s >>> 17
    s ^= s << 5
    return ((s >>> 0) / 2 ** 32) * 2 - 1
  }
}

describe('fitting linear models', () => {
  const records = 400
  const width = 3
  const next = stream(7)
  const features = Float32Array.from({ length: records * width }, (_, i) =>
    i % width === 2 ? 1000 + 500 * next() : next() * 10,
  )
  const { train, heldOut } = splitHeldOut(records)

  it('holds out every fifth record, and refuses too few records', () => {
    expect([train.length, heldOut.length, heldOut[0]]).toEqual([320, 80, 4])
    expect(() => splitHeldOut(9)).toThrow(/at least 10 records/)
  })

  it('recovers the weights of an exact linear relation, features on any scale', () => {
    const target = Float32Array.from(
      { length: records },
      (_, r) =>
        2 * features[r * width]! -
        0.5 * features[r * width + 1]! +
        0.01 * features[r * width + 2]! +
        3,
    )
    const fit = fitLeastSquares(features, width, target, train)
    expect(fit.weights[0]).toBeCloseTo(2, 3)
    expect(fit.weights[1]).toBeCloseTo(-0.5, 3)
    expect(fit.weights[2]).toBeCloseTo(0.01, 4)
    expect(fit.bias).toBeCloseTo(3, 1)
    expect(regressionQuality(fit, features, width, target, heldOut).r2).toBeGreaterThan(0.9999)
  })

  it('separates classes by logistic regression, accurate on the held-out records', () => {
    const labels = Float32Array.from({ length: records }, (_, r) =>
      features[r * width]! - features[r * width + 1]! + 0.3 * next() > 0 ? 1 : 0,
    )
    const fit = fitLogistic(features, width, labels, train)
    expect(fit.weights[0]).toBeGreaterThan(0)
    expect(fit.weights[1]).toBeLessThan(0)
    const quality = classificationQuality(fit, features, width, labels, heldOut)
    expect(quality.accuracy).toBeGreaterThan(0.9)
    expect(fitLogistic(features, width, labels, train)).toEqual(fit)
  })

  it('refuses a label that is neither 0 nor 1, naming the record', () => {
    const labels = new Float32Array(records)
    labels[6] = 2
    expect(() => fitLogistic(features, width, labels, train)).toThrow(/record 7: .* 0 or 1; got 2/)
  })
})
