import { describe, expect, it } from 'vitest'
import { ModelNotApprovedError } from '../ledger/model-approval.ts'
import {
  ModelHashMismatchError,
  ModelInputWidthError,
  ModelInvalidError,
  ModelTooLargeError,
} from '../models/index.ts'
import {
  isPermanentJobFailure,
  jobFailureReason,
  PERMANENT_JOB_FAILURES,
  parseAnnouncement,
} from './job-messages.ts'
import { DatasetShapeError } from './numeric-dataset.ts'

const jobId = `0x${'ab'.repeat(32)}`
const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value))

describe('parseAnnouncement', () => {
  it('reads an announcement, from gossip data or an offer body', () => {
    const announcement = { v: 1, jobId, project: 'acme', spec: 'AAAA', at: 1 }
    expect(parseAnnouncement(bytes(announcement))).toEqual(announcement)
  })

  it('gives undefined for anything else: no body, not JSON, another version, extra fields', () => {
    expect(parseAnnouncement(undefined)).toBeUndefined()
    expect(parseAnnouncement(new TextEncoder().encode('{'))).toBeUndefined()
    expect(parseAnnouncement(bytes({ v: 2, jobId, project: 'p', spec: '', at: 1 }))).toBeUndefined()
    expect(
      parseAnnouncement(bytes({ v: 1, jobId, project: 'p', spec: '', at: 1, extra: true })),
    ).toBeUndefined()
    expect(
      parseAnnouncement(bytes({ v: 1, jobId: '0x12', project: 'p', spec: '', at: 1 })),
    ).toBeUndefined()
  })
})

describe('isPermanentJobFailure', () => {
  it('names the errors a node throws for a job that can never run', () => {
    expect(PERMANENT_JOB_FAILURES).toEqual([
      new DatasetShapeError('d', 'p').code,
      new ModelNotApprovedError('0x00', 0n).code,
      new ModelInvalidError('p').code,
      new ModelTooLargeError(2, 1).code,
      new ModelInputWidthError(4, 3).code,
      new ModelHashMismatchError('a', 'b').code,
      'result-too-large',
    ])
  })

  it('is true for their reasons as a node records them, false for passing trouble', () => {
    const shape = new DatasetShapeError('spend', 'a linear job needs records of 4 features')
    expect(isPermanentJobFailure(jobFailureReason(shape))).toBe(true)
    expect(
      isPermanentJobFailure('model-not-approved: this project runs only approved models'),
    ).toBe(true)
    for (const reason of [
      'no answer from node-1 for 60 s',
      'shard-unavailable: no holder answered',
      'DatasetShapeError: the error name, not its code',
      'proving: timed out after 120 s',
      'a dataset-shape: mentioned later',
    ])
      expect(isPermanentJobFailure(reason)).toBe(false)
  })
})
