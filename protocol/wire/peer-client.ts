/**
 * Talking to Sealnet nodes as an identity: every request carries a peer credential
 * signed with the caller's master key, and every answer is checked (a shard must hash
 * to its id, an attestation must echo our nonce) before it is believed.
 * @module
 */

import { createHash, type KeyObject, randomBytes } from 'node:crypto'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import type * as z from 'zod'
import type { WrappedProjectKey } from '../crypto/index.ts'
import { SealnetError } from '../sealnet-error.ts'
import type { Attestation } from './attestation.ts'
import {
  BUSY_RETRIES,
  BUSY_RETRY_MS,
  CREDENTIAL_TTL_MS,
  MAX_FRAME_BYTES,
  MAX_HEADER_BYTES,
  REQUEST_TIMEOUT_MS,
} from './constants.ts'
import { createHost, type HostInit, type SealnetHost } from './create-host.ts'
import { withDeadline } from './deadline.ts'
import { PeerRefusedError, PeerUnavailableError } from './errors.ts'
import { sendRequest } from './exchange.ts'
import {
  type JobAnswer,
  JobAnswerSchema,
  JobOfferAnswerSchema,
  type JobPhase,
} from './job-messages.ts'
import { AttestAnswerSchema, KeyAnswerSchema, ShardAnswerSchema } from './messages.ts'
import { createPeerCredential, type PeerCredential } from './peer-credential.ts'
import { PROTOCOLS, type ProtocolName } from './protocol-ids.ts'

export interface PeerClientInit extends Omit<HostInit, 'privateKey' | 'dhtServer'> {
  /** Who is asking: the identity's name and its master private key. */
  key: { identity: string; privateKey: KeyObject }
  /** Deadline per request. @default 30_000 */
  timeoutMs?: number
  /** Talk through this running host (a node's own) instead of starting one; stop() leaves it running. */
  host?: SealnetHost
}

/** A `keep-alive` tag: libp2p reconnects to peers carrying one. */
const BOOTSTRAP_TAG = 'keep-alive-sealnet-bootstrap'

export class ShardMismatchError extends SealnetError {
  readonly code = 'shard-mismatch'
  constructor(peer: string, shardId: string) {
    super(
      `peer ${peer.slice(-8)} answered shard ${shardId.slice(0, 12)}… with bytes of another hash`,
    )
  }
}

/**
 * @example
 * const client = new PeerClient({ key: alice, bootstrap: [nodeAddr] }); await client.start()
 * const { shardId } = await client.putShard(nodePeerId, projectId, sealedChunk)
 */
export class PeerClient {
  readonly #init: PeerClientInit
  #host: SealnetHost | undefined
  #credential: PeerCredential | undefined

  constructor(init: PeerClientInit) {
    this.#init = init
  }

  get host(): SealnetHost {
    if (!this.#host) throw new Error('the peer client is not started')
    return this.#host
  }

  /**
   * Starts the client's libp2p host and connects to the bootstrap peers, so the first
   * request doesn't race discovery. Throws PeerUnavailableError if none answers.
   */
  async start(): Promise<void> {
    if (this.#host) return
    if (this.#init.host) {
      this.#host = this.#init.host
      return
    }
    const host = await createHost({ ...this.#init, dhtServer: false })
    const bootstrap = this.#init.bootstrap ?? []
    const dials = await withDeadline(this.#init.timeoutMs ?? REQUEST_TIMEOUT_MS, signal =>
      Promise.allSettled(bootstrap.map(addr => host.dial(multiaddr(addr), { signal }))),
    )
    // keep the bootstrap connections: libp2p redials keep-alive peers that drop
    for (const dial of dials) {
      if (dial.status === 'fulfilled')
        await host.peerStore.merge(dial.value.remotePeer, {
          tags: { [BOOTSTRAP_TAG]: { value: 100 } },
        })
    }
    const failed = dials.find(d => d.status === 'rejected')
    if (bootstrap.length > 0 && dials.every(d => d.status === 'rejected')) {
      await host.stop()
      throw new PeerUnavailableError(bootstrap.join(', '), (failed as PromiseRejectedResult).reason)
    }
    this.#host = host
  }

  async stop(): Promise<void> {
    if (this.#host !== this.#init.host) await this.#host?.stop()
    this.#host = undefined
  }

  /** Our credential for this host's peer id, renewed well before it expires. */
  credential(): PeerCredential {
    const now = Date.now()
    if (!this.#credential || this.#credential.expiresAt - now < CREDENTIAL_TTL_MS / 2) {
      this.#credential = createPeerCredential(
        this.#init.key,
        this.host.peerId.toString(),
        CREDENTIAL_TTL_MS,
        now,
      )
    }
    return this.#credential
  }

  /**
   * Dials `peer` and exchanges one request; a `busy` refusal (the node's in-flight share
   * for this peer or its IP is full) is tried again after a short, growing wait.
   */
  async #request<T>(
    peer: string,
    protocol: ProtocolName,
    header: object,
    body: Uint8Array | undefined,
    answer: z.ZodType<T>,
    maxAnswerBytes = MAX_HEADER_BYTES,
  ) {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#requestOnce(peer, protocol, header, body, answer, maxAnswerBytes)
      } catch (err) {
        if (!(err instanceof PeerRefusedError && err.code === 'busy') || attempt >= BUSY_RETRIES)
          throw err
        await new Promise(resolve => setTimeout(resolve, BUSY_RETRY_MS * 2 ** attempt))
      }
    }
  }

  /** Dials `peer` (a peer id, or a multiaddr ending in /p2p/<id>) and exchanges one request. */
  async #requestOnce<T>(
    peer: string,
    protocol: ProtocolName,
    header: object,
    body: Uint8Array | undefined,
    answer: z.ZodType<T>,
    maxAnswerBytes = MAX_HEADER_BYTES,
  ) {
    const target = peer.startsWith('/') ? multiaddr(peer) : peerIdFromString(peer)
    const name = peer.startsWith('/') ? (peer.split('/p2p/')[1] ?? peer) : peer
    const timeoutMs = this.#init.timeoutMs ?? REQUEST_TIMEOUT_MS
    let stream: Awaited<ReturnType<SealnetHost['dialProtocol']>>
    try {
      stream = await withDeadline(timeoutMs, signal =>
        this.host.dialProtocol(target, PROTOCOLS[protocol], { signal }),
      )
    } catch (err) {
      throw new PeerUnavailableError(name, err)
    }
    try {
      return await sendRequest(stream, name, header, body, { answer, maxAnswerBytes, timeoutMs })
    } catch (err) {
      if (
        err instanceof PeerRefusedError ||
        (err instanceof Error && err.name === 'MalformedFrameError')
      )
        throw err
      throw new PeerUnavailableError(name, err)
    }
  }

  /** The node's signed measurement, fresh for our nonce (its signature is checked by the caller against the ledger's key). */
  async attest(peer: string): Promise<Attestation> {
    const nonce = `0x${randomBytes(32).toString('hex')}`
    const { header } = await this.#request(peer, 'attest', { nonce }, undefined, AttestAnswerSchema)
    if (header.attestation.nonce !== nonce) {
      throw new PeerRefusedError(
        peer,
        'malformed',
        'the attestation does not answer our nonce (replayed?)',
      )
    }
    return header.attestation
  }

  async deliverProjectKey(peer: string, key: WrappedProjectKey): Promise<void> {
    await this.#request(
      peer,
      'key',
      { kind: 'project-key', credential: this.credential(), key },
      undefined,
      KeyAnswerSchema,
    )
  }

  async deliverSecret(peer: string, project: string, name: string, box: Uint8Array): Promise<void> {
    const header = {
      kind: 'secret',
      credential: this.credential(),
      project,
      name,
      box: Buffer.from(box).toString('base64'),
    }
    await this.#request(peer, 'key', header, undefined, KeyAnswerSchema)
  }

  async putShard(peer: string, projectId: string, shard: Uint8Array): Promise<{ shardId: string }> {
    const header = { op: 'put', credential: this.credential(), projectId }
    const { header: answer } = await this.#request(peer, 'shard', header, shard, ShardAnswerSchema)
    return { shardId: answer.shardId }
  }

  /** The shard's bytes, checked against its id: a node serving other bytes is a ShardMismatchError. */
  async getShard(peer: string, projectId: string, shardId: string): Promise<Uint8Array> {
    const header = { op: 'get', credential: this.credential(), projectId, shardId }
    const { body } = await this.#request(
      peer,
      'shard',
      header,
      undefined,
      ShardAnswerSchema,
      MAX_FRAME_BYTES.shard,
    )
    if (createHash('sha256').update(body).digest('hex') !== shardId)
      throw new ShardMismatchError(peer, shardId)
    return body
  }

  /**
   * A job's phase on `peer` (the node that runs it), with the sealed result if we submitted
   * it. With `waitWhile`, the node answers once the job has left that phase, or after
   * `waitMs` (at most JOB_STATUS_MAX_WAIT_MS).
   */
  async jobStatus(
    peer: string,
    jobId: string,
    wait?: { waitWhile: JobPhase; waitMs: number },
  ): Promise<JobAnswer & { result?: Uint8Array }> {
    const header = { op: 'status', credential: this.credential(), jobId, ...wait }
    const answer = await this.#request(
      peer,
      'job',
      header,
      undefined,
      JobAnswerSchema,
      MAX_FRAME_BYTES.job,
    )
    return answer.header.hasResult ? { ...answer.header, result: answer.body } : answer.header
  }

  /** Hands a job announcement (its JSON bytes) to a node; resolves once the node took it. */
  async offerJob(peer: string, announcement: Uint8Array): Promise<void> {
    const header = { op: 'offer', credential: this.credential() }
    await this.#request(peer, 'job', header, announcement, JobOfferAnswerSchema)
  }

  /** Hands `peer` a copy of a completed job's sealed result (see the `keep-result` request). */
  async keepJobResult(
    peer: string,
    job: { jobId: string; project: string; submitter: string },
    sealedResult: Uint8Array,
  ): Promise<void> {
    const header = { op: 'keep-result', credential: this.credential(), ...job }
    await this.#request(peer, 'job', header, sealedResult, JobOfferAnswerSchema)
  }

  async deleteShard(peer: string, projectId: string, shardId: string): Promise<void> {
    const header = { op: 'delete', credential: this.credential(), projectId, shardId }
    await this.#request(peer, 'shard', header, undefined, ShardAnswerSchema)
  }
}
