/** A job's status from its node, long-polled where the node takes it. */
import { type JobPhase, type PeerClient, PeerRefusedError } from '../../../protocol/wire/index.ts'

/**
 * The job's status from `peerId`, asked to answer once the job leaves `wait.waitWhile`
 * (a long poll). A node from before long polls refuses the wait as malformed: it is then
 * asked plainly, and `plainOnly` remembers it so it is never asked to wait again.
 */
export async function jobStatusOf(
  client: Pick<PeerClient, 'jobStatus'>,
  peerId: string,
  jobId: string,
  wait: { waitWhile: JobPhase; waitMs: number } | undefined,
  plainOnly: Set<string>,
): ReturnType<PeerClient['jobStatus']> {
  if (!wait || plainOnly.has(peerId)) return client.jobStatus(peerId, jobId)
  try {
    return await client.jobStatus(peerId, jobId, wait)
  } catch (err) {
    if (!(err instanceof PeerRefusedError && err.code === 'malformed')) throw err
    plainOnly.add(peerId)
    return client.jobStatus(peerId, jobId)
  }
}
