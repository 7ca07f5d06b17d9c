/**
 * `/sealnet/job/1`: a job's phase on this node, the time spent in each phase, and, for
 * its submitter once delivered, the result sealed to the submitter's key (optionally
 * answered once the job leaves a given phase, a long poll); `offer`, a job
 * announcement handed over directly (acknowledged, unlike gossip); and `keep-result`, a
 * copy of a completed job's sealed result from the node that ran it. Members of the job's
 * project may ask; anyone else is refused.
 * @module
 */
import { fromBase64 } from '../../protocol/crypto/index.ts'
import { projectIdOf } from '../../protocol/ledger/index.ts'
import {
  JobRequestSchema,
  parseAnnouncement,
  RequestRefusedError,
} from '../../protocol/wire/index.ts'
import type { Authorizer } from '../authorizer/index.ts'
import type { JobRunner } from '../job-runner/index.ts'
import type { RequestHandler } from './handler.ts'

export interface JobProtocolInit {
  authorizer: Authorizer
  runner: JobRunner
}

export function jobProtocol(init: JobProtocolInit): RequestHandler {
  return async (frame, remotePeer) => {
    const request = JobRequestSchema.parse(frame.header)
    const peer = await init.authorizer.authenticate(request.credential, remotePeer)
    if (request.op === 'offer') {
      const announcement = parseAnnouncement(frame.body)
      if (!announcement)
        throw new RequestRefusedError('malformed', 'the body is not a job announcement')
      // only a member may put a job in front of the node
      await init.authorizer.authorize(projectIdOf(announcement.project), peer, 'read')
      await init.runner.offer(announcement)
      return { header: { ok: true, jobId: announcement.jobId } }
    }
    if (request.op === 'keep-result') {
      if (peer.kind !== 'node' || !frame.body)
        throw new RequestRefusedError('unauthorized', 'only a node hands over a job result')
      await init.authorizer.authorize(projectIdOf(request.project), peer, 'write')
      await init.runner.keepResult(peer.name, request, frame.body)
      return { header: { ok: true, jobId: request.jobId } }
    }
    const known = await init.runner.record(request.jobId)
    if (!known)
      throw new RequestRefusedError('not-found', `this node has not run job ${request.jobId}`)
    // authorized before any wait: an outsider can't hold a stream open on a job
    await init.authorizer.authorize(projectIdOf(known.project), peer, 'read')
    const record =
      request.waitWhile === undefined
        ? known
        : ((await init.runner.recordAfter(request.jobId, request.waitWhile, request.waitMs ?? 0)) ??
          known)
    const phases = { ...record.phases, [record.phase]: Date.now() - record.phaseStartedAt }
    const result =
      record.result && peer.name === record.submitter
        ? fromBase64(record.result, 'result')
        : undefined
    return {
      header: {
        ok: true,
        jobId: record.jobId,
        phase: record.phase,
        node: record.node,
        phases,
        ...(record.error ? { error: record.error } : {}),
        hasResult: result !== undefined,
      },
      body: result,
    }
  }
}
