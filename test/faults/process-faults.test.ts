/**
 * Faults on a network of real processes (anvil, three nodes, the CLI): a node killed
 * (SIGKILL) during an upload, during a job and during a rekey, the rekey itself killed,
 * the chain endpoint down for a while, and a node gone for good, repaired around.
 * After each: nothing lost (every value reads back, verified against the chain), and the
 * error the user saw named the problem.
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { identityIdOf } from '../../protocol/ledger/index.ts'
import { type CliNetwork, startCliNetwork, USER_BITS } from '../cli-network.ts'
import { exited, stopSealnet } from '../cli-processes.ts'

const values = Array.from({ length: 200 }, (_, i) => (i * 7919) % 1000)
const readBack = (stdout: string) => stdout.trim().split('\n').map(Number)

describe('faults on real processes', () => {
  let net: CliNetwork
  const as: CliNetwork['as'] = (...args) => net.as(...args)

  /** Runs a command that must succeed, naming it and its stderr if it does not. */
  const ok = async (who: string, args: string[]) => {
    const r = await as(who, args)
    expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0)
    return r
  }

  beforeAll(async () => {
    net = await startCliNetwork(['node-a', 'node-b', 'node-c'], 'faults')
    await ok('alice', ['key', 'init', '--identity', 'alice', ...USER_BITS])
    await ok('alice', ['project', 'create', 'faults'])
    const refused = await as('alice', ['node', 'authorize', 'faults', 'node-a'])
    const measurement = /measurement (0x[0-9a-f]{64})/.exec(refused.stderr)![1]!
    await ok('alice', ['project', 'allow', 'faults', measurement])
    for (const node of net.nodes) await ok('alice', ['node', 'authorize', 'faults', node.name])
    await writeFile(join(net.root, 'values.txt'), `${values.join('\n')}\n`)
  }, 300_000)

  afterAll(async () => {
    await net?.stop()
  })

  it('a node killed during an upload: the upload places its chunks on the others, and every value reads back', async () => {
    const upload = await net.startAs(
      'alice',
      ['upload', 'faults', join(net.root, 'values.txt'), '--dataset', 'killed-upload'],
      'chunk 2/',
    )
    const victim = net.nodes[2]!
    victim.running.child.kill('SIGKILL')
    const code = await exited(upload)
    expect(code, upload.stderr).toBe(0)
    expect(upload.stdout).toContain('200 values')
    const down = await as('alice', ['download', 'faults', 'killed-upload'])
    expect(down.code, down.stderr).toBe(0)
    expect(readBack(down.stdout)).toEqual(values)

    // the killed node comes back with its store intact and serves again
    await victim.restart()
    const again = await as('alice', ['download', 'faults', 'killed-upload'])
    expect(readBack(again.stdout)).toEqual(values)
  }, 180_000)

  it('the chain endpoint down for a while: commands name it; once back, nothing was lost', async () => {
    await stopSealnet(net.chain)
    const down = await as('alice', ['download', 'faults', 'killed-upload'])
    expect(down.code).toBe(1)
    expect(down.stderr).toContain('[LedgerUnreachableError]')
    const audit = await as('auditor', ['audit', 'project', 'faults'])
    expect(audit.code).toBe(1)
    expect(audit.stderr).toContain('[LedgerUnreachableError]')

    await net.restartChain()
    const back = await as('alice', ['download', 'faults', 'killed-upload'])
    expect(back.code, back.stderr).toBe(0)
    expect(readBack(back.stdout)).toEqual(values)
    const timeline = await as('auditor', ['--json', 'audit', 'project', 'faults'])
    const kinds = JSON.parse(timeline.stdout).entries.map((e: { kind: string }) => e.kind)
    expect(kinds).toEqual(
      expect.arrayContaining(['ProjectCreated', 'ProjectKeyGranted', 'ProjectDatasetCommitted']),
    )
  }, 180_000)

  it('the node running a job is killed: the submitter fails it on chain and another node completes it', async () => {
    const submitted = await as('alice', [
      '--json',
      'job',
      'submit',
      'faults',
      'killed-upload',
      '--threshold',
      '500',
    ])
    expect(submitted.code, submitted.stderr).toBe(0)
    const { jobId } = JSON.parse(submitted.stdout)
    const status = await as('alice', ['--json', 'job', 'status', jobId])
    const first = JSON.parse(status.stdout).node as string
    const victim = net.nodes.find(n => n.name === first)!
    victim.running.child.kill('SIGKILL')
    const result = await as('alice', [
      '--json',
      'job',
      'result',
      jobId,
      '--retry-after',
      '3',
      '--timeout',
      '240',
    ])
    expect(result.code, result.stderr).toBe(0)
    const opened = JSON.parse(result.stdout)
    expect(opened.node).not.toBe(first)
    expect(opened.count).toBe(String(values.filter(v => v >= 500).length))
    const audit = await as('auditor', ['--json', 'audit', 'project', 'faults'])
    const failed = JSON.parse(audit.stdout).entries.filter(
      (e: { kind: string; args: { jobId: string } }) =>
        e.kind === 'JobFailed' && e.args.jobId === jobId,
    )
    // one hand-back: the killed node's claim, failed by the submitter after its deadline
    expect(failed).toHaveLength(1)
    expect(failed[0].args.nodeId).toBe(identityIdOf(first))
    await victim.restart()
  }, 300_000)

  it('a rekey killed midway, then a node down during the rerun: it resumes, and every value reads back', async () => {
    await ok('alice', ['upload', 'faults', join(net.root, 'values.txt'), '--dataset', 'to-rekey'])
    // a teammate leaves: the key rotates to version 2, the dataset stays under version 1
    await ok('bob', ['key', 'init', '--identity', 'bob', ...USER_BITS])
    await ok('alice', ['project', 'share', 'faults', 'bob'])
    await ok('alice', ['project', 'revoke', 'faults', 'bob'])

    const rekey = await net.startAs('alice', ['project', 'rekey', 'faults', 'to-rekey'], 'chunk 2/')
    await stopSealnet(rekey, 'SIGKILL')
    const midway = await as('alice', ['download', 'faults', 'to-rekey'])
    expect(readBack(midway.stdout)).toEqual(values)

    // the rerun resumes with one node down: it re-seals the rest, and can't delete there
    const victim = net.nodes[1]!
    victim.running.child.kill('SIGKILL')
    const resumed = await as('alice', ['--json', 'project', 'rekey', 'faults', 'to-rekey'])
    expect(resumed.code, resumed.stderr).toBe(0)
    const [first] = JSON.parse(resumed.stdout).datasets
    expect(first.resealed).toBeGreaterThan(0)
    expect(first.resealed).toBeLessThan(first.chunks)
    // every delete that failed was on the node that is down, and none elsewhere
    expect(first.deleteFailures.length).toBeGreaterThan(0)
    for (const failure of first.deleteFailures)
      expect(failure).toMatch(new RegExp(` on ${victim.name}: `))
    const after = await as('alice', ['download', 'faults', 'to-rekey'])
    expect(after.code, after.stderr).toBe(0)
    expect(readBack(after.stdout)).toEqual(values)

    // back up, a last run finishes the deletions and re-seals nothing
    await victim.restart()
    const last = await as('alice', ['--json', 'project', 'rekey', 'faults', 'to-rekey'])
    const [done] = JSON.parse(last.stdout).datasets
    expect(done).toMatchObject({ resealed: 0, deleteFailures: [] })
    // the last run deleted what the rerun could not, except copies the down node never
    // got (answered not-found, which the report does not count): at most that many
    expect(done.deleted).toBeGreaterThan(0)
    expect(done.deleted).toBeLessThanOrEqual(first.deleteFailures.length)
    expect(readBack((await as('alice', ['download', 'faults', 'to-rekey'])).stdout)).toEqual(values)
  }, 300_000)

  it('a node gone for good: project repair copies its chunks to the others, and every value reads back', async () => {
    // node-a holds a copy of every chunk the upload placed while node-c was down
    const victim = net.nodes[0]!
    victim.running.child.kill('SIGKILL')
    const repaired = await as('alice', ['--json', 'project', 'repair', 'faults', 'killed-upload'])
    expect(repaired.code, repaired.stderr).toBe(0)
    const report = JSON.parse(repaired.stdout)
    expect(report.down).toEqual([victim.name])
    const [spend] = report.datasets
    // whatever the victim held gets its second copy on the one other node left
    expect(spend.lost).toEqual([])
    expect(spend.repaired).toBeGreaterThan(0)
    expect(spend.copies).toBe(spend.repaired)
    const down = await as('alice', ['download', 'faults', 'killed-upload'])
    expect(down.code, down.stderr).toBe(0)
    expect(readBack(down.stdout)).toEqual(values)
    // nothing left to do
    const again = await as('alice', ['--json', 'project', 'repair', 'faults', 'killed-upload'])
    expect(JSON.parse(again.stdout).datasets[0]).toMatchObject({ repaired: 0, copies: 0 })
  }, 180_000)
})
