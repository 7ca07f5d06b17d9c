import { describe, expect, it } from 'vitest'
import { createProjectKey, openEnvelope, sealEnvelope, utf8 } from '../crypto/index.ts'
import { createDatasetKey, datasetEnvelopeKey } from './dataset-key.ts'
import { chunkContext } from './job-messages.ts'

describe('dataset keys', () => {
  const projectKey = createProjectKey('p')
  const context = chunkContext('p', 'spend', 0)

  it('are fresh per dataset, 32 bytes, and name the project, dataset and version they serve', () => {
    const a = createDatasetKey()
    expect(Buffer.from(a, 'base64')).toHaveLength(32)
    expect(createDatasetKey()).not.toBe(a)
    const key = datasetEnvelopeKey('p', 'spend', 3, a)
    expect(key.version).toBe(3)
    expect(Buffer.from(key.id).equals(datasetEnvelopeKey('p', 'other', 3, a).id)).toBe(false)
    expect(Buffer.from(key.id).equals(datasetEnvelopeKey('q', 'spend', 3, a).id)).toBe(false)
  })

  it('seal chunks that only the data key opens: the project key alone does not', () => {
    const dataKey = datasetEnvelopeKey('p', 'spend', projectKey.version, createDatasetKey())
    const sealed = sealEnvelope(dataKey, context, utf8('[1,2,3]'))
    expect(Buffer.from(openEnvelope(dataKey, context, sealed).plaintext).toString()).toBe('[1,2,3]')
    expect(() => openEnvelope(projectKey, context, sealed)).toThrow()
    const otherDataKey = datasetEnvelopeKey('p', 'spend', projectKey.version, createDatasetKey())
    expect(() => openEnvelope(otherDataKey, context, sealed)).toThrow(
      expect.objectContaining({ name: 'EnvelopeAuthError' }),
    )
  })
})
