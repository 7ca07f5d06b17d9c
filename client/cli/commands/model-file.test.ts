import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readLinearModel, readMlpModel } from './model-file.ts'

const file = async (text: string) => {
  const path = join(await mkdtemp(join(tmpdir(), 'sealnet-model-')), 'model.json')
  await writeFile(path, text)
  return path
}
const usage = (text: RegExp) =>
  expect.objectContaining({ name: 'UsageError', message: expect.stringMatching(text) })

describe('readLinearModel', () => {
  it('reads integers given as numbers or decimal strings', async () => {
    await expect(
      readLinearModel(await file('{"weights": [1, -2, "3", "-40"], "bias": "-7"}')),
    ).resolves.toEqual({ weights: [1n, -2n, 3n, -40n], bias: -7n })
  })

  it('names the field that is wrong', async () => {
    await expect(readLinearModel(await file('{"weights": [1, 2], "bias": 0}'))).rejects.toEqual(
      usage(/weights/),
    )
    await expect(
      readLinearModel(await file(`{"weights": [1, 2, 3, 4], "bias": ${2 ** 32}}`)),
    ).rejects.toEqual(usage(/bias must be above -2\^32 and below 2\^32/))
    await expect(
      readLinearModel(await file('{"weights": [1, 2, 3, 4.5], "bias": 0}')),
    ).rejects.toEqual(usage(/weights\.3/))
    await expect(readLinearModel(await file('not json'))).rejects.toEqual(usage(/model\.json/))
  })
})

describe('readMlpModel', () => {
  const mlp = (hidden: unknown, biases: unknown, output: unknown, bias: unknown = 0) =>
    file(JSON.stringify({ hidden: { weights: hidden, biases }, output: { weights: output, bias } }))

  it('reads a hidden layer of rows and an output layer', async () => {
    await expect(
      readMlpModel(
        await mlp(
          [
            [1, -2, '3', 0],
            [0, 0, 0, 5],
          ],
          [-7, '8'],
          [2, -1],
          '-9',
        ),
      ),
    ).resolves.toEqual({
      hiddenWeights: [
        [1n, -2n, 3n, 0n],
        [0n, 0n, 0n, 5n],
      ],
      hiddenBiases: [-7n, 8n],
      outputWeights: [2n, -1n],
      outputBias: -9n,
    })
  })

  it('names what is wrong: shape, counts, bounds', async () => {
    await expect(readMlpModel(await mlp([[1, 2, 3]], [0], [1]))).rejects.toEqual(
      usage(/hidden\.weights\.0/),
    )
    await expect(readMlpModel(await mlp([[1, 2, 3, 4]], [0, 0], [1]))).rejects.toEqual(
      usage(/1 hidden units but 2 hidden biases/),
    )
    await expect(readMlpModel(await mlp([[1, 2, 3, 2 ** 16]], [0], [1]))).rejects.toEqual(
      usage(/hidden weight 0\.3 is 65536; it must be above -2\^16 and below 2\^16/),
    )
    const nine = Array.from({ length: 9 }, () => [0, 0, 0, 0])
    await expect(readMlpModel(await mlp(nine, Array(9).fill(0), Array(9).fill(0)))).rejects.toEqual(
      usage(/hidden\.weights/),
    )
    await expect(readMlpModel(await file('{"weights": [1, 2, 3, 4], "bias": 0}'))).rejects.toEqual(
      usage(/expected \{"hidden"/),
    )
  })
})
