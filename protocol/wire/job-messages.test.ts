import { describe, expect, it } from 'vitest'
import { parseAnnouncement } from './job-messages.ts'

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
