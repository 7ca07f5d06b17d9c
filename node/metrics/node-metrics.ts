/**
 * What a node counts, rendered for Prometheus (text format 0.0.4), and the localhost HTTP
 * endpoint that serves it with a health check.
 * @module
 */
import { createServer, type Server } from 'node:http'

export interface NodeGauges {
  peers: number
  shards: number
  bytesStored: number
  accessPending: number
  /** Access records the ledger refused for good (the node's grant revoked). */
  accessDeadLetters: number
}

export class NodeMetrics {
  readonly #requests = new Map<string, number>()
  readonly #refusals = new Map<string, number>()

  request(protocol: string): void {
    this.#requests.set(protocol, (this.#requests.get(protocol) ?? 0) + 1)
  }

  refusal(protocol: string, code: string): void {
    const key = `${protocol}\0${code}`
    this.#refusals.set(key, (this.#refusals.get(key) ?? 0) + 1)
  }

  requests(protocol: string): number {
    return this.#requests.get(protocol) ?? 0
  }

  refusals(protocol: string, code: string): number {
    return this.#refusals.get(`${protocol}\0${code}`) ?? 0
  }

  render(gauges: NodeGauges): string {
    const lines = [
      '# HELP sealnet_peers Connected libp2p peers.',
      '# TYPE sealnet_peers gauge',
      `sealnet_peers ${gauges.peers}`,
      '# HELP sealnet_shards Shards in the store.',
      '# TYPE sealnet_shards gauge',
      `sealnet_shards ${gauges.shards}`,
      '# HELP sealnet_bytes_stored Bytes of shards in the store.',
      '# TYPE sealnet_bytes_stored gauge',
      `sealnet_bytes_stored ${gauges.bytesStored}`,
      '# HELP sealnet_access_records_pending Access records not yet on the ledger.',
      '# TYPE sealnet_access_records_pending gauge',
      `sealnet_access_records_pending ${gauges.accessPending}`,
      '# HELP sealnet_access_records_dead Access records the ledger refused for good, kept locally.',
      '# TYPE sealnet_access_records_dead gauge',
      `sealnet_access_records_dead ${gauges.accessDeadLetters}`,
      '# HELP sealnet_requests_total Requests served, by protocol.',
      '# TYPE sealnet_requests_total counter',
      ...[...this.#requests].map(([p, n]) => `sealnet_requests_total{protocol="${p}"} ${n}`),
      '# HELP sealnet_errors_total Requests refused, by protocol and code.',
      '# TYPE sealnet_errors_total counter',
      ...[...this.#refusals].map(([key, n]) => {
        const [p, code] = key.split('\0')
        return `sealnet_errors_total{protocol="${p}",code="${code}"} ${n}`
      }),
    ]
    return `${lines.join('\n')}\n`
  }
}

export interface MetricsServerInit {
  /** @default '127.0.0.1' */
  host?: string
  /** 0 picks a free port. */
  port: number
  metrics(): Promise<string>
  health(): Promise<object>
}

/** Serves GET /metrics and GET /health; resolves once listening. */
export async function startMetricsServer(
  init: MetricsServerInit,
): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const route = req.method === 'GET' ? req.url : undefined
    const reply =
      route === '/metrics'
        ? init.metrics().then(text => ({ type: 'text/plain; version=0.0.4', text }))
        : route === '/health'
          ? init.health().then(body => ({ type: 'application/json', text: JSON.stringify(body) }))
          : Promise.resolve(undefined)
    reply.then(
      found => {
        if (!found)
          res.writeHead(404, { 'content-type': 'text/plain' }).end('GET /metrics or /health\n')
        else res.writeHead(200, { 'content-type': found.type }).end(found.text)
      },
      () => res.writeHead(500).end(),
    )
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(init.port, init.host ?? '127.0.0.1', resolve)
  })
  const address = server.address() as { address: string; port: number }
  return { url: `http://${address.address}:${address.port}`, server }
}
