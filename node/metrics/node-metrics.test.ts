import { describe, expect, it } from 'vitest'
import { NodeMetrics } from './node-metrics.ts'

describe('NodeMetrics', () => {
  it('renders gauges and counters in the Prometheus text format', () => {
    const metrics = new NodeMetrics()
    metrics.request('shard')
    metrics.request('shard')
    metrics.refusal('shard', 'unauthorized')
    const text = metrics.render({
      peers: 3,
      shards: 10,
      bytesStored: 4096,
      accessPending: 2,
      accessDeadLetters: 1,
    })
    expect(text).toContain('sealnet_peers 3\n')
    expect(text).toContain('sealnet_access_records_pending 2\n')
    expect(text).toContain(
      '# TYPE sealnet_access_records_dead gauge\nsealnet_access_records_dead 1\n',
    )
    expect(text).toContain('sealnet_requests_total{protocol="shard"} 2\n')
    expect(text).toContain('sealnet_errors_total{protocol="shard",code="unauthorized"} 1\n')
    expect(metrics.refusals('shard', 'unauthorized')).toBe(1)
  })
})
