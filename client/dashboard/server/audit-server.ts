/**
 * The auditor's dashboard server (`sealnet audit serve`): the built page as static files
 * and a small read-only JSON API over the chain, on 127.0.0.1. It never asks for a key or
 * a password; it holds no signer. Pages learn of new events by Server-Sent Events.
 * @module
 */

import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import fastifyStatic from '@fastify/static'
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify'
import type { Ledger, TimelineQuery } from '../../../protocol/ledger/index.ts'
import { SealnetError } from '../../../protocol/sealnet-error.ts'
import { DASHBOARD_POLL_MS } from '../../sdk/constants.ts'
import type { TrailCheck } from '../../sdk/index.ts'
import type { ChainProblem, ChainStatus } from '../api-types.ts'
import { chainProblemOf, httpStatusOf, isConnectionFailure } from './chain-problem.ts'
import { readOverview, readProjectView, readTimeline } from './dashboard-data.ts'
import { projectReportMarkdown } from './project-report.ts'

/** Where `npm run build:dashboard` (run by npm install) puts the page. */
export const DASHBOARD_WEB_ROOT = fileURLToPath(
  new URL('../../../dist/dashboard/', import.meta.url),
)

export const PROOF_CHECK =
  'Job proofs are verified by this server with snarkjs (Groth16, the verification keys the circuits were built with), besides the on-chain verifier that accepted them.'

export class DashboardNotBuiltError extends SealnetError {
  readonly code = 'dashboard-not-built'
  constructor(root: string) {
    super(`The dashboard page is not built (no ${root}index.html): run "npm run build:dashboard"`)
  }
}

export interface AuditServerInit {
  /** Opens a read-only ledger; called again after the endpoint failed. */
  open(): Promise<{ ledger: Ledger; close(): Promise<void> }>
  /** The endpoint, as messages name it. */
  where: string
  /** @default '127.0.0.1' */
  host?: string
  /** 0 picks a free port. @default 7470 */
  port?: number
  /** @default DASHBOARD_WEB_ROOT */
  webRoot?: string
  /** How often the chain is polled for new events while a page listens. @default DASHBOARD_POLL_MS */
  pollMs?: number
}

class BadRequestError extends SealnetError {
  readonly code = 'bad-request'
}

const PROJECT_ID = /^0x[0-9a-fA-F]{64}$/

function projectIdParam(params: unknown): string {
  const { id } = params as { id: string }
  if (!PROJECT_ID.test(id))
    throw new BadRequestError(`"${id}" is not a project id (0x and 64 hex digits)`)
  return id.toLowerCase()
}

/** A whole number of seconds from a query parameter, or undefined when absent. */
function secondsParam(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0)
    throw new BadRequestError(`${name} must be Unix seconds; got "${value}"`)
  return n
}

function timelineQuery(query: Record<string, string | undefined>): TimelineQuery {
  const limit = secondsParam(query.limit, 'limit') ?? 500
  return {
    kinds: query.kind ? query.kind.split(',') : undefined,
    involving: query.involving || undefined,
    fromTime: secondsParam(query.since, 'since'),
    toTime: secondsParam(query.until, 'until'),
    offset: secondsParam(query.offset, 'offset'),
    limit: Math.min(limit, 5000),
  }
}

export class AuditServer {
  readonly #init: AuditServerInit
  readonly #app: FastifyInstance
  #connection?: Promise<{ ledger: Ledger; close(): Promise<void> }>
  /** Proof and batch checks already passed, by event: each is verified once. */
  readonly #known = new Map<string, TrailCheck>()
  readonly #listeners = new Set<FastifyReply>()
  #timer?: NodeJS.Timeout
  #lastBlock?: number
  #polling = false
  #url?: string

  constructor(init: AuditServerInit) {
    this.#init = init
    this.#app = Fastify({ logger: false })
  }

  /** http://127.0.0.1:PORT/ once started. */
  get url(): string {
    if (!this.#url) throw new Error('AuditServer is not started')
    return this.#url
  }

  async start(): Promise<void> {
    const root = this.#init.webRoot ?? DASHBOARD_WEB_ROOT
    if (!existsSync(`${root}index.html`)) throw new DashboardNotBuiltError(root)
    await this.#app.register(fastifyStatic, { root, prefix: '/' })
    this.#routes()
    const address = await this.#app.listen({
      host: this.#init.host ?? '127.0.0.1',
      port: this.#init.port ?? 7470,
    })
    this.#url = `${address}/`
    this.#timer = setInterval(() => void this.#poll(), this.#init.pollMs ?? DASHBOARD_POLL_MS)
    this.#timer.unref()
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer)
    for (const reply of this.#listeners) reply.raw.end()
    this.#listeners.clear()
    await this.#app.close()
    const connection = this.#connection
    this.#connection = undefined
    if (connection) await (await connection.catch(() => undefined))?.close()
  }

  /** The ledger, connecting (again) if needed; throws what the chain problem is. */
  async #ledger(): Promise<Ledger> {
    this.#connection ??= this.#init.open()
    try {
      return (await this.#connection).ledger
    } catch (err) {
      this.#connection = undefined
      throw err
    }
  }

  /** Runs `read` on the ledger; an endpoint that failed is reopened on the next call. */
  async #read<T>(read: (ledger: Ledger) => Promise<T>): Promise<T> {
    const ledger = await this.#ledger()
    try {
      return await read(ledger)
    } catch (err) {
      if (isConnectionFailure(err)) {
        const connection = this.#connection
        this.#connection = undefined
        void connection?.then(c => c.close()).catch(() => undefined)
      }
      throw err
    }
  }

  #problem(err: unknown): ChainProblem {
    if (err instanceof BadRequestError) return { code: 'bad-request', message: err.message }
    return chainProblemOf(err, this.#init.where)
  }

  /** The chain as the page's status line shows it, or the problem reading it. */
  async chainStatus(): Promise<ChainStatus> {
    try {
      return await this.#read(async ledger => ({
        ok: true,
        rpc: this.#init.where,
        chainId: ledger.deployment.chainId,
        block: await ledger.projects.runner!.provider!.getBlockNumber(),
        proofCheck: PROOF_CHECK,
      }))
    } catch (err) {
      return {
        ok: false,
        rpc: this.#init.where,
        proofCheck: PROOF_CHECK,
        problem: this.#problem(err),
      }
    }
  }

  #routes(): void {
    const app = this.#app
    /** Serves `work`'s JSON, or the problem with its HTTP status. */
    const json =
      <T>(work: (params: unknown, query: Record<string, string | undefined>) => Promise<T>) =>
      async (
        request: { params: unknown; query: unknown },
        reply: FastifyReply,
      ): Promise<unknown> => {
        try {
          return await work(request.params, request.query as Record<string, string | undefined>)
        } catch (err) {
          const problem = this.#problem(err)
          return reply.code(httpStatusOf(problem)).send({ problem })
        }
      }
    app.get('/api/status', () => this.chainStatus())
    app.get(
      '/api/overview',
      json(() => this.#read(readOverview)),
    )
    app.get(
      '/api/projects/:id',
      json(params => {
        const id = projectIdParam(params)
        return this.#read(async ledger => (await readProjectView(ledger, id, this.#known)).view)
      }),
    )
    app.get(
      '/api/projects/:id/timeline',
      json((params, query) => {
        const id = projectIdParam(params)
        const q = timelineQuery(query)
        return this.#read(ledger => readTimeline(ledger, id, q))
      }),
    )
    app.get('/api/projects/:id/report.md', async (request, reply) => {
      try {
        const id = projectIdParam(request.params)
        const markdown = await this.#read(async ledger => {
          const { view, trail } = await readProjectView(ledger, id, this.#known)
          const block = await ledger.projects.runner!.provider!.getBlockNumber()
          const chain = { chainId: ledger.deployment.chainId, block }
          return { name: view.name, text: projectReportMarkdown(view, trail, chain, new Date()) }
        })
        return reply
          .type('text/markdown; charset=utf-8')
          .header(
            'content-disposition',
            `attachment; filename="${markdown.name.replace(/[^\w.-]/g, '_')}-report.md"`,
          )
          .send(markdown.text)
      } catch (err) {
        const problem = this.#problem(err)
        return reply.code(httpStatusOf(problem)).send({ problem })
      }
    })
    app.get('/api/events', (request, reply) => {
      reply.hijack()
      reply.raw.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
      })
      reply.raw.write(': sealnet audit events\n\n')
      this.#listeners.add(reply)
      request.raw.on('close', () => this.#listeners.delete(reply))
    })
  }

  #broadcast(event: string, data: unknown): void {
    const message = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`
    for (const reply of this.#listeners) reply.raw.write(message)
  }

  /** Tells listening pages when blocks with Sealnet events arrive, or the chain fails. */
  async #poll(): Promise<void> {
    if (this.#polling || this.#listeners.size === 0) return
    this.#polling = true
    try {
      const found = await this.#read(async ledger => {
        const provider = ledger.projects.runner!.provider!
        const latest = await provider.getBlockNumber()
        const from = this.#lastBlock === undefined ? latest : this.#lastBlock + 1
        const { identities, projects, jobs, actions } = ledger.deployment
        const logs =
          latest >= from
            ? await provider.getLogs({
                address: [identities, projects, jobs, actions],
                fromBlock: from,
                toBlock: latest,
              })
            : []
        const recovered = this.#lastBlock === undefined
        this.#lastBlock = latest
        return { latest, events: logs.length, recovered }
      })
      if (found.events > 0 || found.recovered)
        this.#broadcast('ledger', { block: found.latest, events: found.events })
    } catch (err) {
      this.#lastBlock = undefined
      this.#broadcast('problem', this.#problem(err))
    } finally {
      this.#polling = false
    }
  }
}
