/**
 * Sensitive actions from the command line, as separate processes on a real node and chain:
 * the owner names the approvers; an admin proposes a dataset's erasure, two approvers sign
 * approval files, the admin executes, and the audit log shows the sequence and each node's
 * deletions; a linear model runs only once its deployment is approved the same way.
 */
import { readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { denseOnnxModel } from '../protocol/models/index.ts'
import { type CliNetwork, startCliNetwork, USER_BITS } from './cli-network.ts'
import { eventually } from './eventually.ts'

describe('sealnet erase, model and approve', () => {
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
    const unsaid = await as('bob', ['approve', actionId, '--out', file('x')])
    expect(unsaid.stderr).toContain('say what you approve')
    const notHers = await as('alice', [
      'approve',
      actionId,
      '--dataset',
      'customer-42',
      '--out',
      file('alice'),
    ])
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
    const deletions = await eventually(
      async () => {
        const { stdout } = await as('alice', ['audit', 'project', 'gdpr', '--deletions'])
        return /deleted by alice/.test(stdout) && stdout
      },
      { timeoutMs: 30_000, intervalMs: 1_000, what: "node-a's deletions on chain" },
    )
    expect(deletions.match(/deleted by alice on node-a/g)).toHaveLength(2)
  }, 240_000)

  it('runs a linear model only once two approvers signed its deployment', async () => {
    const root = network.root
    await writeFile(join(root, 'model.json'), '{"weights": [2, -1, 0, 5], "bias": 7}\n')
    await writeFile(
      join(root, 'records.csv'),
      `a,b,c,d\n${[0, 1, 2].map(r => [r, 3 * r, 1, 10 - r].join(',')).join('\n')}\n`,
    )
    const up = await as('alice', [
      'upload',
      'gdpr',
      join(root, 'records.csv'),
      '--features',
      'a,b,c,d',
      '--dataset',
      'records',
    ])
    expect(up.code, up.stderr).toBe(0)
    const linear = (model: string) =>
      as('alice', [
        '--json',
        'job',
        'submit',
        'gdpr',
        'records',
        '--kind',
        'linear',
        '--model',
        model,
      ])
    const unapproved = await linear(join(root, 'model.json'))
    expect(unapproved.code).toBe(1)
    expect(unapproved.stderr).toContain('[ModelNotApprovedError]')

    const deployment = join(root, 'deployment.json')
    const proposed = await as('alice', [
      '--json',
      'model',
      'propose',
      'gdpr',
      join(root, 'model.json'),
      '--out',
      deployment,
    ])
    expect(proposed.code, proposed.stderr).toBe(0)
    // it holds the weights and their salt: readable by its owner only
    expect((await stat(deployment)).mode & 0o777).toBe(0o600)
    const { actionId } = JSON.parse(proposed.stdout)
    const approvals = []
    for (const who of ['bob', 'carol']) {
      const out = join(root, `${who}.model.json`)
      const ok = await as(who, ['approve', actionId, '--model', deployment, '--out', out])
      expect(ok.code, ok.stderr).toBe(0)
      expect(ok.stdout).toContain('approved: deploy model W = [2, -1, 0, 5], b = 7')
      approvals.push(out)
    }
    const deployed = await as('alice', ['model', 'deploy', 'gdpr', deployment, ...approvals])
    expect(deployed.code, deployed.stderr).toBe(0)

    const submitted = await linear(deployment)
    expect(submitted.code, submitted.stderr).toBe(0)
    const { jobId } = JSON.parse(submitted.stdout)
    const result = await as('alice', ['--json', 'job', 'result', jobId, '--timeout', '240'])
    expect(result.code, result.stderr).toBe(0)
    expect(JSON.parse(result.stdout).outputs).toEqual(['57', '51', '45'])
  }, 300_000)

  it('runs an mlp model only once two approvers signed its deployment; a linear deployment is not one', async () => {
    const root = network.root
    const net = join(root, 'net.json')
    await writeFile(
      net,
      '{"hidden": {"weights": [[1, -1, 2, 0], [0, 3, 0, -1]], "biases": [-3, 4]}, "output": {"weights": [5, -2], "bias": 1}}\n',
    )
    const up = await as('alice', [
      'upload',
      'gdpr',
      join(root, 'records.csv'),
      '--features',
      'a,b,c,d',
      '--chunk-size',
      '4',
      '--dataset',
      'records4',
    ])
    expect(up.code, up.stderr).toBe(0)
    const mlp = (model: string) =>
      as('alice', [
        '--json',
        'job',
        'submit',
        'gdpr',
        'records4',
        '--kind',
        'mlp',
        '--model',
        model,
      ])
    const unapproved = await mlp(net)
    expect(unapproved.code).toBe(1)
    expect(unapproved.stderr).toContain('[ModelNotApprovedError]')
    const wrongKind = await mlp(join(root, 'deployment.json'))
    expect(wrongKind.code).toBe(2)
    expect(wrongKind.stderr).toContain(
      'is the deployment of a linear model, not of the mlp model this job runs',
    )

    const deployment = join(root, 'net.deployment.json')
    const proposed = await as('alice', [
      '--json',
      'model',
      'propose',
      'gdpr',
      net,
      '--out',
      deployment,
    ])
    expect(proposed.code, proposed.stderr).toBe(0)
    expect(JSON.parse(await readFile(deployment, 'utf8')).format).toBe('sealnet-mlp-deployment-v1')
    const { actionId } = JSON.parse(proposed.stdout)
    const approvals = []
    for (const who of ['bob', 'carol']) {
      const out = join(root, `${who}.net.json`)
      const ok = await as(who, ['approve', actionId, '--model', deployment, '--out', out])
      expect(ok.code, ok.stderr).toBe(0)
      expect(ok.stdout).toContain(
        'approved: deploy mlp model W1 = [[1, -1, 2, 0], [0, 3, 0, -1]], b1 = [-3, 4], W2 = [5, -2], b2 = 1',
      )
      approvals.push(out)
    }
    const deployed = await as('alice', ['model', 'deploy', 'gdpr', deployment, ...approvals])
    expect(deployed.code, deployed.stderr).toBe(0)
    expect(deployed.stdout).toContain('--kind mlp')

    const submitted = await mlp(deployment)
    expect(submitted.code, submitted.stderr).toBe(0)
    const { jobId } = JSON.parse(submitted.stdout)
    const result = await as('alice', ['--json', 'job', 'result', jobId, '--timeout', '240'])
    expect(result.code, result.stderr).toBe(0)
    // records [r, 3r, 1, 10 - r]: unit 0 is r - 3r + 2 - 3 = -2r - 1 (cut); unit 1 is 9r + 4 - 10 + r
    expect(JSON.parse(result.stdout)).toMatchObject({
      kind: 'mlp',
      outputs: [0, 1, 2].map(r => String(1 - 2 * Math.max(0, 10 * r - 6))),
      verified: true,
    })
  }, 300_000)
  it('runs an ONNX model only once two approvers signed its SHA-256, each checking the file itself', async () => {
    const root = network.root
    const model = join(root, 'scorer.onnx')
    await writeFile(
      model,
      denseOnnxModel([{ weights: [[0.5], [-1]], bias: [0.25], activation: 'none' }]),
    )
    await writeFile(join(root, 'table.csv'), 'x,y\n1.5,2\n-3,0.25\n')
    expect((await as('alice', ['upload', 'gdpr', '--csv', join(root, 'table.csv')])).code).toBe(0)
    const onnx = () =>
      as('alice', [
        '--json',
        'job',
        'submit',
        'gdpr',
        'table.csv',
        '--kind',
        'onnx',
        '--model',
        model,
      ])
    const unapproved = await onnx()
    expect(unapproved.code).toBe(1)
    expect(unapproved.stderr).toContain('[ModelNotApprovedError]')

    const deployment = join(root, 'onnx-deployment.json')
    const proposed = await as('alice', [
      '--json',
      'model',
      'propose',
      'gdpr',
      model,
      '--out',
      deployment,
    ])
    expect(proposed.code, proposed.stderr).toBe(0)
    const { actionId, sha256 } = JSON.parse(proposed.stdout)
    // an approver given another file refuses to sign
    const other = join(root, 'other.onnx')
    await writeFile(other, denseOnnxModel([{ weights: [[1], [1]], bias: [0], activation: 'none' }]))
    const wrong = await as('bob', ['approve', actionId, '--model', other, '--out', join(root, 'w')])
    expect(wrong.code).toBe(1)
    expect(wrong.stderr).toContain('does not deploy the ONNX model in')
    const approvals = []
    for (const who of ['bob', 'carol']) {
      const out = join(root, `${who}.onnx-approval.json`)
      const ok = await as(who, ['approve', actionId, '--model', model, '--out', out])
      expect(ok.code, ok.stderr).toBe(0)
      expect(ok.stdout).toContain(`approved: deploy ONNX model ${sha256.slice(0, 16)}`)
      approvals.push(out)
    }
    const deployed = await as('alice', ['model', 'deploy', 'gdpr', deployment, ...approvals])
    expect(deployed.code, deployed.stderr).toBe(0)
    expect(deployed.stdout).toContain('--kind onnx')

    const submitted = await onnx()
    expect(submitted.code, submitted.stderr).toBe(0)
    const { jobId } = JSON.parse(submitted.stdout)
    const result = await as('alice', ['--json', 'job', 'result', jobId, '--timeout', '240'])
    expect(result.code, result.stderr).toBe(0)
    expect(JSON.parse(result.stdout)).toMatchObject({
      kind: 'onnx',
      attested: true,
      proven: false,
      outputs: [{ name: 'output', shape: [2, 1], values: [-1, -1.5] }],
    })
  }, 300_000)
})
