import { id } from 'ethers'
import { describe, expect, it } from 'vitest'
import {
  JOB_KIND_NAMES,
  JOB_KINDS,
  JobSpecSchema,
  jobKindNamed,
  jobKindOfId,
  UnknownJobKindError,
} from './registry.ts'

const base = {
  jobId: `0x${'ab'.repeat(32)}`,
  project: 'acme',
  dataset: 'spend',
  manifest: { shardId: 'cd'.repeat(32), holders: [{ identity: 'node1', peerId: 'p1' }] },
  submitter: 'alice',
}

describe('job-kind registry', () => {
  it("names every kind once, with keccak256(name) as its on-chain id (the chain's and router's key)", () => {
    expect(JOB_KIND_NAMES).toEqual([
      'stats',
      'linear',
      'mlp',
      'sum',
      'onnx',
      'train-linear',
      'train-logistic',
    ])
    for (const name of JOB_KIND_NAMES) {
      expect(JOB_KINDS[name]).toBe(id(name))
      expect(jobKindOfId(id(name))?.name).toBe(name)
      expect(jobKindNamed(name).summary.length).toBeGreaterThan(10)
    }
    expect(jobKindOfId(id('stats').toUpperCase().replace('0X', '0x'))?.name).toBe('stats')
    // the attested kinds say so: how a reader re-checks them, and no circuit
    for (const name of ['onnx', 'train-linear', 'train-logistic'] as const)
      expect(jobKindNamed(name).check.by).toBe('attestation')
  })

  it('refuses unknown kinds by name, and has no kind for an unknown id', () => {
    expect(() => jobKindNamed('pytorch')).toThrow(UnknownJobKindError)
    expect(() => jobKindNamed('pytorch')).toThrow(/stats, linear, mlp, sum, onnx/)
    expect(jobKindOfId(id('pytorch'))).toBeUndefined()
  })

  it("parses each kind's spec with its own fields and refuses another kind's", () => {
    expect(JobSpecSchema.parse({ ...base, kind: 'stats', threshold: '60' }).kind).toBe('stats')
    expect(
      JobSpecSchema.parse({
        ...base,
        kind: 'linear',
        model: { weights: ['1', '-2'], bias: '3' },
        modelSalt: '7',
      }).kind,
    ).toBe('linear')
    expect(JobSpecSchema.parse({ ...base, kind: 'sum', more: [] }).kind).toBe('sum')
    expect(() => JobSpecSchema.parse({ ...base, kind: 'stats', more: [] })).toThrow()
    expect(() => JobSpecSchema.parse({ ...base, kind: 'onnx' })).toThrow()
    const model = { dataset: 'model-1', manifest: base.manifest, sha256: 'ef'.repeat(32) }
    expect(JobSpecSchema.parse({ ...base, kind: 'onnx', inputs: ['a'], model }).kind).toBe('onnx')
    const train = { ...base, kind: 'train-logistic', features: ['a', 'b'], target: 'y' }
    expect(JobSpecSchema.parse(train).kind).toBe('train-logistic')
    expect(() => JobSpecSchema.parse({ ...train, features: [] })).toThrow()
  })
})
