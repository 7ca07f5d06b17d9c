/**
 * Erasing a dataset from the command line, as separate processes on a real node and chain:
 * the owner names the approvers, an admin proposes, two approvers sign approval files,
 * the admin executes, and the audit log shows the sequence and each node's deletions.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type CliNetwork, startCliNetwork, USER_BITS } from './cli-network.ts'

describe('sealnet erase and approve', () => {
  let network: CliNetwork
  const as = (who: string, args: string[]) => network.as(who, args)

  beforeAll(async () => {
    network = await startCliNetwork(['node-a'], 'erase')
    for (const who of ['alice', 'bob', 'carol'])
      expect((await as(who, ['key', 'init', '--identity', who, ...USER_BITS])).code).toBe(0)
    expect((await as('alice', ['project', 'create', 'gdpr'])).code).toBe(0)
    const refused = await as('alice', ['node', 'authorize', 'gdpr', 'node-a'])
    const measurement = /measurement (0x[0-9a-f]{64})/.exec(refused.stderr)![1]!
    expect((await as('alice', ['project', 'allow', 'gdpr', measurement])).code).toBe(0)
    expect((await as('alice', ['node', 'authorize', 'gdpr', 'node-a'])).code).toBe(0)
    const file = join(network.root, 'customer-42.txt')
    await writeFile(file, '10\n20\n30\n')
    const up = await as('alice', ['upload', 'gdpr', file, '--dataset', 'customer-42'])
    expect(up.code, up.stderr).toBe(0)
  }, 240_000)

  afterAll(async () => {
    await network?.stop()
  })

  it('needs approvers first, then k of n approval files; afterwards the data is gone and the log shows why', async () => {
    const early = await as('alice', ['erase', 'propose', 'gdpr', 'customer-42'])
    expect(early.code).toBe(2)
    expect(early.stderr).toContain('gdpr has no approvers')
    const set = await as('alice', [
      'project',
      'approvers',
      'gdpr',
      'bob',
      'carol',
      '--threshold',
      '2',
    ])
    expect(set.code, set.stderr).toBe(0)
    expect(set.stdout).toContain('2 of 2 approvals needed (bob, carol)')

    const proposed = await as('alice', ['--json', 'erase', 'propose', 'gdpr', 'customer-42'])
    expect(proposed.code, proposed.stderr).toBe(0)
    const { actionId } = JSON.parse(proposed.stdout)
    const file = (who: string) => join(network.root, `${who}.approval.json`)

    // alice is no approver; bob checks it is the dataset he was told about
    const notHers = await as('alice', ['approve', actionId, '--out', file('alice')])
    expect(notHers.code).toBe(1)
    expect(notHers.stderr).toContain('[NotApproverError]')
    const wrong = await as('bob', ['approve', actionId, '--dataset', 'other', '--out', file('x')])
    expect(wrong.stderr).toContain('is not the erasure of other')
    for (const who of ['bob', 'carol']) {
      const ok = await as(who, [
        'approve',
        actionId,
        '--dataset',
        'customer-42',
        '--out',
        file(who),
      ])
      expect(ok.code, ok.stderr).toBe(0)
      expect(ok.stdout).toContain('approved: erase dataset customer-42')
    }
    expect(JSON.parse(await readFile(file('bob'), 'utf8'))).toMatchObject({
      format: 'sealnet-approval-v1',
      actionId,
    })

    const execute = (...files: string[]) =>
      as('alice', ['erase', 'execute', 'gdpr', 'customer-42', actionId, ...files])
    const short = await execute(file('bob'))
    expect(short.code).toBe(1)
    expect(short.stderr).toContain('ActionsBelowThreshold')
    expect((await as('alice', ['download', 'gdpr', 'customer-42'])).code).toBe(0)

    const done = await execute(file('bob'), file('carol'))
    expect(done.code, done.stderr).toBe(0)
    expect(done.stdout).toContain('customer-42 erased: 1 chunk and 1 manifest copies deleted')
    const gone = await as('alice', ['download', 'gdpr', 'customer-42'])
    expect(gone.code).toBe(1)
    expect(gone.stderr).toMatch(/customer-42.*was erased.*\[DatasetErasedError\]/)

    const log = await as('alice', ['audit', 'project', 'gdpr'])
    expect(log.stdout).toMatch(/ActionProposed[\s\S]*ActionApproved[\s\S]*ActionExecuted/)
    // the node records its deletions in its next access batch
    let deletions = ''
    for (let tries = 0; tries < 30 && !/deleted by alice/.test(deletions); tries++) {
      await new Promise(resolve => setTimeout(resolve, 1000))
      deletions = (await as('alice', ['audit', 'project', 'gdpr', '--deletions'])).stdout
    }
    expect(deletions.match(/deleted by alice on node-a/g)).toHaveLength(2)
  }, 240_000)
})
