import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readLinearModel } from './linear-model-file.ts'

describe('readLinearModel', () => {
  const file = async (text: string) => {
    const path = join(await mkdtemp(join(tmpdir(), 'sealnet-model-')), 'model.json')
    await writeFile(path, text)
    return path
  }
  const usage = (text: RegExp) =>
    expect.objectContaining({ name: 'UsageError', message: expect.stringMatching(text) })

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
