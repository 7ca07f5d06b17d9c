/**
 * The Sealnet node: a libp2p host serving `/sealnet/attest|key|shard/1` over its shard
 * store, key vault and access log, with retention sweeps and a metrics endpoint.
 * Everything it decides about who may do what, it reads from the ledger.
 * @module
 */
import type { KeyObject } from 'node:crypto'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import { LevelDatastore } from 'datastore-level'
import { type Logger, pino } from 'pino'
import type { Ledger } from '../protocol/ledger/index.ts'
import {
  createHost,
  fetchShard,
  type JobCircuitSizes,
  MAX_FRAME_BYTES,
  PeerClient,
  PeerCredentialSchema,
  PROTOCOLS,
  type ProtocolName,
  RequestRefusedError,
  type SealnetHost,
  serveRequest,
} from '../protocol/wire/index.ts'
import { AccessLog } from './access-log/index.ts'
import { LedgerAuthorizer, ProjectPolicy } from './authorizer/index.ts'
import {
  ATTEST_BURST,
  ATTEST_PER_SECOND,
  HEADER_TIMEOUT_MS,
  MAX_INBOUND_STREAMS,
  REQUEST_TIMEOUT_MS,
} from './constants.ts'
import { JobRunner } from './job-runner/index.ts'
import { KeyVault } from './key-vault/index.ts'
import { measureNode } from './measurement/index.ts'
import { NodeMetrics, startMetricsServer } from './metrics/index.ts'
import {
  attestProtocol,
  jobProtocol,
  keyProtocol,
  ManifestGuard,
  RateLimit,
  RequestBudget,
  type RequestBudgetInit,
  type RequestHandler,
  shardProtocol,
} from './protocols/index.ts'
import { RetentionSweeper } from './retention/index.ts'
import { ShardStore } from './shard-store/index.ts'

/** The repository root: what the measurement hashes. */
export const SEALNET_ROOT = fileURLToPath(new URL('..', import.meta.url))

const PEER_KEY_SECRET = 'libp2p-peer-key'

export interface SealnetNodeInit {
  /** The node's master key, re-derived from its secret. */
  key: { identity: string; privateKey: KeyObject }
  /** Folder of the node's databases (shards, vault, access queue, peer store). */
  dataDir: string
  /** The ledger, acting as this node's account. */
  ledger: Ledger
  /** @default ['/ip4/127.0.0.1/tcp/0'] */
  listen?: string[]
  bootstrap?: string[]
  mdns?: boolean
  /** Pre-shared swarm key of a closed operator set. */
  psk?: Uint8Array
  /** Bytes of shards this node accepts. */
  quotaBytes?: number
  /** Shard bytes any one project may use on this node. @default no limit */
  projectQuotaBytes?: number
  /**
   * Serve only projects owned by one of these identities (the node's consent); every
   * project this node is granted when absent.
   */
  acceptOwners?: readonly string[]
  /** Port of the localhost /metrics and /health endpoint; off if absent. */
  metricsPort?: number
  logger?: Logger
  debug?: boolean
  /** @default 5_000 */
  accessFlushMs?: number
  /** @default 60_000 */
  retentionSweepMs?: number
  /** How long ledger answers are trusted. @default 10_000 */
  authCacheMs?: number
  /** Deadline to read a request and write its answer. @default 30_000 */
  requestTimeoutMs?: number
  /** Concurrent inbound streams per protocol and connection. @default 32 */
  maxInboundStreams?: number
  /** Deadline for a request's length prefix and header. @default 5_000 */
  headerTimeoutMs?: number
  /** Request bytes in flight per peer and per IP (request-budget.ts). */
  requestBudget?: RequestBudgetInit
  /** Run jobs: the chunk sizes the chain's verifiers check. No jobs if absent. */
  jobs?: JobCircuitSizes & { phaseTimeoutMs?: number; watchIntervalMs?: number }
}

/** The node's libp2p key: created once, kept sealed to the node's master key in its vault. */
export async function loadOrCreatePeerKey(vault: KeyVault): Promise<PrivateKey> {
  const sealed = await vault.getSecret(PEER_KEY_SECRET)
  if (sealed) return privateKeyFromProtobuf(sealed)
  const key = await generateKeyPair('Ed25519')
  await vault.putSecret(PEER_KEY_SECRET, privateKeyToProtobuf(key))
  return key
}

export class SealnetNode {
  readonly identity: string
  readonly metrics = new NodeMetrics()
  /** What peers have in flight on this node: bounded per peer and per IP. */
  readonly requestBudget: RequestBudget
  readonly log: Logger
  readonly #init: SealnetNodeInit
  #parts:
    | {
        vault: KeyVault
        store: ShardStore
        accessLog: AccessLog
        datastore: LevelDatastore
        host: SealnetHost
        sweeper: RetentionSweeper
        runner?: JobRunner
        peers: PeerClient
        authorizer: LedgerAuthorizer
        measurement: string
        metricsUrl?: string
        closeMetrics?(): Promise<void>
      }
    | undefined

  constructor(init: SealnetNodeInit) {
    this.#init = init
    this.identity = init.key.identity
    this.log = (init.logger ?? pino({ level: 'silent' })).child({ node: init.key.identity })
    this.requestBudget = new RequestBudget(init.requestBudget)
  }

  #started() {
    if (!this.#parts) throw new Error(`node ${this.identity} is not started`)
    return this.#parts
  }

  get host(): SealnetHost {
    return this.#started().host
  }
  get store(): ShardStore {
    return this.#started().store
  }
  get vault(): KeyVault {
    return this.#started().vault
  }
  get accessLog(): AccessLog {
    return this.#started().accessLog
  }
  get sweeper(): RetentionSweeper {
    return this.#started().sweeper
  }
  /** The job runner, if this node runs jobs. */
  get runner(): JobRunner | undefined {
    return this.#started().runner
  }
  get measurement(): string {
    return this.#started().measurement
  }
  get peerId(): string {
    return this.host.peerId.toString()
  }
  get multiaddrs(): string[] {
    return this.host.getMultiaddrs().map(String)
  }
  get metricsUrl(): string | undefined {
    return this.#started().metricsUrl
  }

  async start(): Promise<void> {
    if (this.#parts) return
    const init = this.#init
    const dir = (name: string) => join(init.dataDir, name)
    const vault = new KeyVault({ path: dir('vault'), privateKey: init.key.privateKey })
    await vault.start()
    const store = new ShardStore({
      path: dir('shards'),
      maxBytes: init.quotaBytes,
      maxBytesPerProject: init.projectQuotaBytes,
    })
    const policy = new ProjectPolicy(init.ledger, init.acceptOwners)
    await store.start()
    const accessLog = new AccessLog({
      path: dir('access-queue'),
      ledger: init.ledger,
      node: this.identity,
      flushIntervalMs: init.accessFlushMs,
      onFlushError: err =>
        this.log.warn({ err: errorText(err) }, 'access records not flushed; kept for retry'),
    })
    await accessLog.start()
    const measurement = await measureNode(SEALNET_ROOT, {
      privateNetwork: init.psk !== undefined,
      debug: init.debug === true,
    })
    const datastore = new LevelDatastore(dir('peers'))
    await datastore.open()
    const host = await createHost({
      privateKey: await loadOrCreatePeerKey(vault),
      listen: init.listen,
      bootstrap: init.bootstrap,
      mdns: init.mdns,
      psk: init.psk,
      datastore,
    })
    const authorizer = new LedgerAuthorizer({
      ledger: init.ledger,
      cacheMs: init.authCacheMs,
      onPollError: err => this.log.warn({ err: errorText(err) }, 'revocation watch failed'),
    })
    await authorizer.start()
    const peerId = host.peerId.toString()
    // the credential is checked from the header, before a request's body is read
    const checkCredential = async (header: unknown, remotePeer: string) => {
      const credential = PeerCredentialSchema.safeParse(
        (header as { credential?: unknown }).credential,
      )
      // a header without a valid credential is refused by its handler, as malformed
      if (credential.success) await authorizer.authenticate(credential.data, remotePeer)
    }
    const attestLimit = new RateLimit(ATTEST_PER_SECOND, ATTEST_BURST)
    await this.#serve(host, 'attest', attestProtocol({ key: init.key, peerId, measurement }), {
      checkHeader: async (_, __, ip) => {
        if (!attestLimit.take(ip))
          throw new RequestRefusedError('busy', 'too many attestations asked from your address')
      },
    })
    await this.#serve(
      host,
      'key',
      keyProtocol({ authorizer, vault, node: this.identity, policy }),
      {
        checkHeader: checkCredential,
      },
    )
    await this.#serve(
      host,
      'shard',
      shardProtocol({
        authorizer,
        store,
        accessLog,
        node: this.identity,
        manifests: new ManifestGuard(init.ledger),
        policy,
      }),
      { checkHeader: checkCredential },
    )
    const sweeper = new RetentionSweeper({
      store,
      ledger: init.ledger,
      accessLog,
      node: this.identity,
      intervalMs: init.retentionSweepMs,
      onSweepError: err => this.log.warn({ err: errorText(err) }, 'retention sweep failed'),
      onDeleted: (shardId, projectId) =>
        this.log.info({ shardId, projectId }, 'shard expired and deleted'),
    })
    sweeper.start()
    // the node reads replicas as itself (its identity's credential) over its own host
    const peers = new PeerClient({ key: init.key, host })
    await peers.start()
    let runner: JobRunner | undefined
    if (init.jobs) {
      runner = new JobRunner({
        host,
        vault,
        ledger: init.ledger,
        key: init.key,
        path: dir('jobs'),
        sizes: { statsSize: init.jobs.statsSize, linearRecords: init.jobs.linearRecords },
        phaseTimeoutMs: init.jobs.phaseTimeoutMs,
        watchIntervalMs: init.jobs.watchIntervalMs,
        onRefusedAnnouncement: () => this.metrics.refusal('job', 'spec-mismatch'),
        log: this.log,
        peers,
        readShard: async (shardId, holders, projectId) =>
          (await store.has(shardId))
            ? store.get(shardId)
            : (
                await fetchShard(
                  peers,
                  projectId,
                  shardId,
                  holders.filter(h => h.peerId !== peerId),
                )
              ).shard,
      })
      await runner.start()
      await this.#serve(host, 'job', jobProtocol({ authorizer, runner }), {
        checkHeader: checkCredential,
      })
    }
    this.#parts = {
      vault,
      store,
      accessLog,
      datastore,
      host,
      sweeper,
      runner,
      peers,
      authorizer,
      measurement,
    }
    if (init.metricsPort !== undefined) {
      const { url, server } = await startMetricsServer({
        port: init.metricsPort,
        metrics: async () => this.metrics.render(await this.#gauges()),
        health: async () => ({
          status: 'ok',
          identity: this.identity,
          peerId,
          ...(await this.#gauges()),
        }),
      })
      this.#parts.metricsUrl = url
      this.#parts.closeMetrics = () => new Promise(resolve => server.close(() => resolve()))
    }
    this.log.info(
      { identity: this.identity, peerId, addrs: this.multiaddrs, measurement },
      'node started',
    )
  }

  async #gauges() {
    const { host, store, accessLog } = this.#started()
    const stats = store.stats()
    return {
      peers: host.getPeers().length,
      shards: stats.shards,
      bytesStored: stats.bytes,
      accessPending: await accessLog.pending(),
      accessDeadLetters: (await accessLog.deadLetters()).length,
    }
  }

  #serve(
    host: SealnetHost,
    name: ProtocolName,
    handler: RequestHandler,
    checks: {
      checkHeader?(header: unknown, remotePeer: string, ip: string): Promise<void>
    } = {},
  ): Promise<void> {
    const timeoutMs = this.#init.requestTimeoutMs ?? REQUEST_TIMEOUT_MS
    return host.handle(
      PROTOCOLS[name],
      (stream, connection) => {
        this.metrics.request(name)
        const remotePeer = connection.remotePeer.toString()
        const ip = remoteIp(connection.remoteAddr)
        return serveRequest(stream, frame => handler(frame, remotePeer), {
          maxFrameBytes: MAX_FRAME_BYTES[name],
          timeoutMs,
          headerTimeoutMs: Math.min(timeoutMs, this.#init.headerTimeoutMs ?? HEADER_TIMEOUT_MS),
          admit: bytes => this.requestBudget.admit(remotePeer, ip, bytes),
          checkHeader:
            checks.checkHeader && (header => checks.checkHeader!(header, remotePeer, ip)),
          onRefusal: (code, err) => {
            this.metrics.refusal(name, code)
            const level = code === 'internal' ? 'error' : 'debug'
            this.log[level](
              { protocol: name, peer: remotePeer, code, err: errorText(err) },
              'request refused',
            )
          },
        })
      },
      { maxInboundStreams: this.#init.maxInboundStreams ?? MAX_INBOUND_STREAMS },
    )
  }

  /** Stops serving, flushes the access log, closes every database. Safe to call twice. */
  async stop(): Promise<void> {
    const parts = this.#parts
    if (!parts) return
    this.#parts = undefined
    await parts.closeMetrics?.()
    await parts.runner?.stop()
    await parts.peers.stop()
    await parts.host.stop()
    await parts.authorizer.stop()
    await parts.sweeper.stop()
    await parts.accessLog.stop()
    await parts.store.stop()
    await parts.vault.stop()
    await parts.datastore.close()
    this.log.info({ identity: this.identity }, 'node stopped')
  }
}

/** The IP a connection comes from (its transport address), or the whole address. */
function remoteIp(address: Multiaddr): string {
  const ip = address.getComponents().find(c => c.name === 'ip4' || c.name === 'ip6')
  return ip?.value ?? address.toString()
}

function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err)
}
