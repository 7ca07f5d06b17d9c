/**
 * The whole story through the CLI, as separate processes: `sealnet chain start`, two nodes
 * (`node init` + `node start`), a business that creates a project, allowlists and
 * authorizes the nodes, uploads and downloads a dataset, shares it with a teammate who
 * fetches his key from the nodes and runs a verified stats job and a linear model over
 * records; and the refusals on the way.
 */
import { randomBytes } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type CliNetwork, startCliNetwork, USER_BITS } from './cli-network.ts'
import { churnCustomersCsv } from './fixtures/churn-customers.ts'

describe('the sealnet CLI story: project, nodes, upload, share, job', () => {
  let network: CliNetwork
  let root: string
  const values = Array.from({ length: 40 }, (_, i) => (i * 37) % 100)
  const as: CliNetwork['as'] = (...args) => network.as(...args)

  beforeAll(async () => {
    network = await startCliNetwork(['node-a', 'node-b'], 'story')
    root = network.root
  }, 240_000)

  afterAll(async () => {
    await network?.stop()
  })

  it('a business registers its key on the ledger and creates a project', async () => {
    const init = await as('alice', [
      'key',
      'init',
      '--identity',
      'alice@acme.example',
      ...USER_BITS,
    ])
    expect(init.code, init.stderr).toBe(0)
    expect(init.stdout).toContain('registered on the ledger')
    const created = await as('alice', ['--json', 'project', 'create', 'acme'])
    expect(created.stderr).not.toContain('unexpected')
    expect(JSON.parse(created.stdout)).toMatchObject({ project: 'acme', keyVersion: 1 })
    const again = await as('alice', ['project', 'create', 'acme'])
    expect(again.code, again.stderr).toBe(1)
    expect(again.stderr).toContain('[ProjectExistsError]')
    const list = await as('alice', ['project', 'list'])
    expect(list.stdout).toMatch(/acme\s+owner/)
  }, 120_000)

  it('a node whose measurement is not allowlisted is refused, naming it; once allowed, both nodes get the key', async () => {
    const refused = await as('alice', ['node', 'authorize', 'acme', 'node-a'])
    expect(refused.code, refused.stderr).toBe(1)
    expect(refused.stderr).toContain('[MeasurementNotAllowedError]')
    const measurement = /measurement (0x[0-9a-f]{64})/.exec(refused.stderr)![1]!
    expect((await as('alice', ['project', 'allow', 'acme', measurement])).code).toBe(0)
    for (const node of ['node-a', 'node-b']) {
      const ok = await as('alice', ['--json', 'node', 'authorize', 'acme', node])
      expect(ok.stderr).not.toContain('Error')
      expect(JSON.parse(ok.stdout)).toMatchObject({ node, measurement, keyVersion: 1 })
    }
    const user = await as('alice', ['node', 'authorize', 'acme', 'alice@acme.example'])
    expect(user.stderr).toContain('[NotANodeError]')
    const show = await as('alice', ['--json', 'project', 'show', 'acme'])
    const grants = JSON.parse(show.stdout).grants.map((g: { identity: string }) => g.identity)
    expect(grants.sort()).toEqual(['alice@acme.example', 'node-a', 'node-b'])
  }, 120_000)

  it('uploads a column of a CSV, and downloads it back verified against the chain', async () => {
    const csv = join(root, 'spend.csv')
    await writeFile(csv, `customer,spend\n${values.map((v, i) => `c${i},${v}`).join('\n')}\n`)
    const up = await as('alice', ['upload', 'acme', csv, '--column', 'spend', '--dataset', 'spend'])
    expect(up.stderr).not.toContain('Error')
    expect(up.stdout).toMatch(/40 values in \d+ chunks/)
    expect(up.stderr).toMatch(/chunk 1\/\d+ sealed and placed/)
    const again = await as('alice', [
      'upload',
      'acme',
      csv,
      '--column',
      'spend',
      '--dataset',
      'spend',
    ])
    expect(again.stderr).toContain('[DatasetExistsError]')
    const out = join(root, 'spend.txt')
    const down = await as('alice', ['download', 'acme', 'spend', '-o', out])
    expect(down.code, down.stderr).toBe(0)
    expect((await readFile(out, 'utf8')).trim().split('\n').map(Number)).toEqual(values)
    const bad = await as('alice', ['upload', 'acme', csv, '--column', 'customer'])
    expect(bad.code, bad.stderr).toBe(2)
    expect(bad.stderr).toContain('line 2: "c0" is not a whole number')
  }, 120_000)

  it('uploads any file with --raw and downloads it back byte for byte, with progress in MiB/s', async () => {
    const file = join(root, 'scan.bin')
    const content = randomBytes(3 * 1024 * 1024 + 100)
    await writeFile(file, content)
    const up = await as('alice', ['--json', 'upload', 'acme', file, '--raw'])
    expect(up.code, up.stderr).toBe(0)
    expect(JSON.parse(up.stdout)).toMatchObject({
      dataset: 'scan.bin',
      bytes: content.length,
      chunks: 4,
    })
    expect(up.stderr).toMatch(/scan\.bin \[#{24}\] 3\/3 MiB +[\d.]+ MiB\/s/)
    const mixed = await as('alice', ['upload', 'acme', file, '--raw', '--column', 'x'])
    expect(mixed.code).toBe(2)
    expect(mixed.stderr).toContain('--raw stores bytes as they are')
    const out = join(root, 'scan.back')
    const down = await as('alice', ['download', 'acme', 'scan.bin', '-o', out])
    expect(down.code, down.stderr).toBe(0)
    expect(down.stdout).toMatch(/every chunk and the SHA-256 [0-9a-f]{16}… checked/)
    expect(Buffer.compare(await readFile(out), content)).toBe(0)
  }, 120_000)

  it('a teammate gets the key through the nodes, runs a stats job, and opens a verified result', async () => {
    expect(
      (await as('bob', ['key', 'init', '--identity', 'bob@acme.example', ...USER_BITS])).code,
    ).toBe(0)
    // before the share, bob holds no role and no key
    const early = await as('bob', ['download', 'acme', 'spend'])
    expect(early.code, early.stderr).toBe(1)
    expect(early.stderr).toContain('refused (unauthorized): bob@acme.example lacks the member role')
    // a weak password is refused before anything is derived or written
    const weak = await as(
      'mallory',
      ['key', 'init', '--identity', 'mallory@acme.example', ...USER_BITS],
      {
        SEALNET_PASSWORD: 'mallory123',
      },
    )
    expect(weak.code).toBe(1)
    expect(weak.stderr).toMatch(/10\^10 needed.*nothing was written \[WeakPasswordError\]/)
    // alice shares only with the key bob read to her: a squatter's key would be refused
    const shown = JSON.parse(
      (await as('bob', ['--json', 'key', 'show', '-i', 'bob@acme.example'])).stdout,
    )
    const wrong = await as('alice', [
      'project',
      'share',
      'acme',
      'bob@acme.example',
      '--fingerprint',
      'ab'.repeat(8),
    ])
    expect(wrong.code).toBe(1)
    expect(wrong.stderr).toMatch(
      /someone else may hold that name; nothing was shared \[FingerprintMismatchError\]/,
    )
    expect((await as('alice', ['project', 'members', 'acme'])).stdout).not.toMatch(/bob@acme/)
    const share = await as('alice', [
      'project',
      'share',
      'acme',
      'bob@acme.example',
      '--fingerprint',
      shown.fingerprint.slice(0, 16),
    ])
    expect(share.stderr).not.toContain('Error')
    expect(share.stdout).toContain(`bob@acme.example's key fingerprint: ${shown.fingerprint}`)
    const members = await as('alice', ['project', 'members', 'acme'])
    expect(members.stdout).toMatch(/bob@acme\.example\s+member/)

    const down = await as('bob', ['download', 'acme', 'spend'])
    expect(down.stderr).toContain('fetching your key of acme from its nodes')
    expect(down.stdout.trim().split('\n').map(Number)).toEqual(values)

    const submitted = await as('bob', [
      '--json',
      'job',
      'submit',
      'acme',
      'spend',
      '--threshold',
      '50',
    ])
    expect(submitted.stderr).not.toContain('Error')
    const { jobId } = JSON.parse(submitted.stdout)
    const result = await as('bob', ['--json', 'job', 'result', jobId, '--timeout', '240'])
    expect(result.stderr).not.toContain('Error')
    const kept = values.filter(v => v >= 50)
    expect(JSON.parse(result.stdout)).toMatchObject({
      count: String(kept.length),
      sum: String(kept.reduce((a, v) => a + v, 0)),
      verified: true,
    })
    const status = await as('bob', ['job', 'status', jobId])
    expect(status.stdout).toMatch(/on chain\s+completed by node-[ab]/)
    expect(status.stdout).toMatch(/phase\s+delivered/)
    expect(status.stdout).toMatch(/proving\s+\d+\.\d s/)

    // alice is a member but not the submitter: the result is sealed to bob
    const foreign = await as('alice', ['job', 'result', jobId])
    expect(foreign.code, foreign.stderr).toBe(1)
    expect(foreign.stderr).toContain('[NotJobSubmitterError]')
    // only its submitter cancels a job, and only one that has not completed
    const notHers = await as('alice', ['job', 'cancel', jobId])
    expect([notHers.code, notHers.stderr]).toEqual([
      1,
      expect.stringContaining('[NotYourJobError]'),
    ])
    const done = await as('bob', ['job', 'cancel', jobId])
    expect(done.code, done.stderr).toBe(1)
    expect(done.stderr).toContain('is completed: only a submitted or assigned job can be cancelled')
  }, 360_000)

  it('uploads records with --features and runs a linear model over them, verified', async () => {
    const records = Array.from({ length: 20 }, (_, r) => [r, (r * 3) % 7, 40 - r, r % 2])
    const csv = join(root, 'customers.csv')
    await writeFile(
      csv,
      `id,tenure,tickets,spend,churned\n${records.map((x, r) => `c${r},${x.join(',')}`).join('\n')}\n`,
    )
    const columns = 'tenure,tickets,spend,churned'
    const up = await as('bob', [
      'upload',
      'acme',
      csv,
      '--features',
      columns,
      '--dataset',
      'customers',
    ])
    expect(up.code, up.stderr).toBe(0)
    expect(up.stdout).toMatch(/20 records of 4 features in 2 chunks/)
    const down = await as('bob', ['download', 'acme', 'customers'])
    expect(down.stdout.trim().split('\n')).toEqual(records.map(x => x.join(',')))

    const model = join(root, 'model.json')
    const submitLinear = (...extra: string[]) =>
      as('bob', [
        ...extra,
        'job',
        'submit',
        'acme',
        'customers',
        '--kind',
        'linear',
        '--model',
        model,
      ])
    await writeFile(model, JSON.stringify({ weights: [2, -5, 1, 30], bias: '-7' }))
    const submitted = await submitLinear('--json')
    expect(submitted.code, submitted.stderr).toBe(0)
    const { jobId } = JSON.parse(submitted.stdout)
    const result = await as('bob', ['--json', 'job', 'result', jobId, '--timeout', '240'])
    expect(result.code, result.stderr).toBe(0)
    const weights = [2, -5, 1, 30]
    expect(JSON.parse(result.stdout)).toMatchObject({
      kind: 'linear',
      outputs: records.map(x => String(x.reduce((y, v, i) => y + v * weights[i]!, -7))),
      proofs: 2,
      verified: true,
    })

    // refusals name what is wrong, before anything reaches the chain
    const column = await as('bob', [
      'job',
      'submit',
      'acme',
      'spend',
      '--kind',
      'linear',
      '--model',
      model,
    ])
    expect(column.code, column.stderr).toBe(1)
    expect(column.stderr).toContain(
      "dataset spend can't be used for this job: a linear job takes records of 4 features; it holds a single column [DatasetShapeError]",
    )
    await writeFile(model, JSON.stringify({ weights: [1, 2, 3], bias: 0 }))
    const short = await submitLinear()
    expect(short.code).toBe(2)
    expect(short.stderr).toMatch(/--model .*model\.json: weights .*4/)
    const noModel = await as('bob', ['job', 'submit', 'acme', 'customers', '--kind', 'linear'])
    expect(noModel.stderr).toContain('a linear job needs --model FILE')
    const three = await as('bob', ['upload', 'acme', csv, '--features', 'tenure,tickets,spend'])
    expect(three.stderr).toContain('--features needs 4 columns')
  }, 360_000)

  it('runs a small neural network (mlp) over records uploaded in chunks of 4, verified', async () => {
    const csv = join(root, 'customers.csv') // the previous test's 20 records
    const records = (await readFile(csv, 'utf8'))
      .trim()
      .split('\n')
      .slice(1)
      .map(line => line.split(',').slice(1).map(Number))
    const net = join(root, 'net.json')
    const hidden = [
      [1, -2, 0, 3],
      [-1, 0, -1, 0],
    ]
    await writeFile(
      net,
      JSON.stringify({
        hidden: { weights: hidden, biases: [5, '-2'] },
        output: { weights: [3, 100], bias: -4 },
      }),
    )
    const submit = (dataset: string) =>
      as('bob', ['--json', 'job', 'submit', 'acme', dataset, '--kind', 'mlp', '--model', net])
    // the linear upload's chunks of 16 records are not the mlp circuit's 4: refused, saying how
    const chunked = await submit('customers')
    expect(chunked.code, chunked.stderr).toBe(1)
    expect(chunked.stderr).toContain(
      'its chunks hold 16 records; the chain checks mlp chunks of 4 (upload with --chunk-size 4)',
    )
    const columns = 'tenure,tickets,spend,churned'
    const up = await as('bob', [
      'upload',
      'acme',
      csv,
      '--features',
      columns,
      '--chunk-size',
      '4',
      '--dataset',
      'customers4',
    ])
    expect(up.code, up.stderr).toBe(0)
    const submitted = await submit('customers4')
    expect(submitted.code, submitted.stderr).toBe(0)
    const { jobId } = JSON.parse(submitted.stdout)
    const result = await as('bob', ['--json', 'job', 'result', jobId, '--timeout', '240'])
    expect(result.code, result.stderr).toBe(0)
    // unit 1 is never positive (non-negative features): ReLU cuts it from every output
    const relu = (v: number) => Math.max(v, 0)
    expect(JSON.parse(result.stdout)).toMatchObject({
      kind: 'mlp',
      outputs: records.map(x =>
        String(3 * relu(x.reduce((y, v, i) => y + v * hidden[0]![i]!, 5)) - 4),
      ),
      proofs: 5,
      verified: true,
    })
    await writeFile(
      net,
      JSON.stringify({
        hidden: { weights: [[1, 2, 3, 70_000]], biases: [0] },
        output: { weights: [1], bias: 0 },
      }),
    )
    const wide = await submit('customers4')
    expect(wide.code).toBe(2)
    expect(wide.stderr).toMatch(/--model .*net\.json: hidden weight 0\.3 is 70000/)
  }, 360_000)

  it('uploads a CSV of decimals, trains a churn model on it, runs the model on new customers: attested and said so', async () => {
    const customers = join(root, 'churn.csv')
    await writeFile(customers, churnCustomersCsv(120, 3))
    const up = await as('bob', ['upload', 'acme', '--csv', customers, '--dataset', 'churn'])
    expect(up.code, up.stderr).toBe(0)
    expect(up.stdout).toMatch(
      /churn: 120 records of 4 columns \(tenure_months, monthly_spend, support_calls, churned\), fixed-point with 2 decimals/,
    )
    const down = await as('bob', ['download', 'acme', 'churn'])
    expect(down.stdout).toBe(
      churnCustomersCsv(120, 3)
        .split('\n')
        .map((line, i) =>
          i === 0 || line === ''
            ? line
            : line.replace(/^(\d+),([\d.]+),(\d+),(\d)$/, '$1.00,$2,$3.00,$4.00'),
        )
        .join('\n'),
    )
    // a bad value is named by line and column, and nothing is uploaded
    const bad = join(root, 'bad.csv')
    await writeFile(bad, 'a,b\n1,2\n3,4,5\n6,x7\n')
    const refused = await as('bob', ['upload', 'acme', '--csv', bad])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain('line 4, column "b": "x7" is not a decimal number')

    const trained = await as('bob', [
      '--json',
      'job',
      'submit',
      'acme',
      'churn',
      '--kind',
      'train-logistic',
      '--target',
      'churned',
    ])
    expect(trained.code, trained.stderr).toBe(0)
    const model = join(root, 'churn.onnx')
    const fit = await as('bob', [
      'job',
      'result',
      JSON.parse(trained.stdout).jobId,
      '--model-out',
      model,
      '--timeout',
      '120',
    ])
    expect(fit.code, fit.stderr).toBe(0)
    expect(fit.stdout).toMatch(
      /logistic regression of churned on tenure_months, monthly_spend, support_calls/,
    )
    expect(fit.stdout).toMatch(/trained on 96 records; on 24 held out: accuracy 0\.\d{4}/)
    expect(fit.stdout).toContain('ATTESTED, NOT PROVEN')

    const fresh = join(root, 'fresh.csv')
    await writeFile(fresh, churnCustomersCsv(30, 4))
    const columns = 'tenure_months,monthly_spend,support_calls'
    expect((await as('bob', ['upload', 'acme', '--csv', fresh, '--columns', columns])).code).toBe(0)
    const wrong = await as('bob', [
      'job',
      'submit',
      'acme',
      'fresh.csv',
      '--kind',
      'onnx',
      '--model',
      model,
      '--inputs',
      'tenure_months',
    ])
    expect(wrong.code).toBe(1)
    expect(wrong.stderr).toContain('the model reads 3 features a record; the job gives it 1 column')
    const run = await as('bob', [
      '--json',
      'job',
      'submit',
      'acme',
      'fresh.csv',
      '--kind',
      'onnx',
      '--model',
      model,
    ])
    expect(run.code, run.stderr).toBe(0)
    const outputs = join(root, 'scores.csv')
    const scored = await as('bob', [
      'job',
      'result',
      JSON.parse(run.stdout).jobId,
      '--outputs',
      outputs,
    ])
    expect(scored.code, scored.stderr).toBe(0)
    expect(scored.stdout).toMatch(/over 30 records \(tenure_months, monthly_spend, support_calls\)/)
    expect(scored.stdout).toContain('ATTESTED, NOT PROVEN')
    const lines = (await readFile(outputs, 'utf8')).trim().split('\n')
    expect(lines[0]).toBe('output')
    expect(lines.slice(1).every(l => Number(l) > 0 && Number(l) < 1)).toBe(true)
    expect(lines).toHaveLength(31)

    const audit = await as('bob', ['audit', 'verify', 'acme'])
    expect(audit.code, audit.stderr).toBe(0)
    expect(audit.stdout).toMatch(/pass {2}job .*train-logistic: ATTESTED, NOT PROVEN/)
    expect(audit.stdout).toMatch(/pass {2}job .*onnx: ATTESTED, NOT PROVEN.*model SHA-256/)
    expect(audit.stdout).toMatch(/passed \(2 of them attested jobs, not proven\), 0 failed/)
  }, 360_000)

  it('keeps a secret sealed, shows it masked, gives it to a node and to the teammate', async () => {
    const data = join(root, 'db.json')
    await writeFile(data, JSON.stringify({ username: 'etl', password: 'hunter2-but-longer' }))
    const created = await as('alice', [
      'secret',
      'create',
      'acme',
      'warehouse',
      '--type',
      'credentials',
      '--data-file',
      data,
    ])
    expect(created.code, created.stderr).toBe(0)
    // alice's copy, sealed to her key in her home
    const aliceCopy = join(
      root,
      'alice',
      'secrets',
      Buffer.from('acme').toString('hex'),
      'warehouse.json',
    )
    expect(await readFile(aliceCopy, 'utf8')).not.toContain('hunter2')
    expect((await as('alice', ['secret', 'list', 'acme'])).stdout).toMatch(
      /warehouse\s+credentials/,
    )
    const masked = await as('alice', ['secret', 'show', 'acme', 'warehouse'])
    expect(masked.stdout).not.toContain('hunter2')
    expect(masked.stdout).toMatch(/password\s+•+/)
    const bad = await as('alice', [
      'secret',
      'create',
      'acme',
      'cloud',
      '--type',
      'aws',
      '--field',
      'accessKeyId=nope',
      '--field',
      'secretAccessKey=x',
    ])
    expect(bad.code, bad.stderr).toBe(1)
    expect(bad.stderr).toContain('data.accessKeyId')

    const toNode = await as('alice', ['secret', 'share', 'acme', 'warehouse', 'node-a'])
    expect(toNode.code, toNode.stderr).toBe(0)
    expect(toNode.stdout).toContain('delivered to node-a')
    const file = join(root, 'for-bob.json')
    const toBob = await as('alice', [
      'secret',
      'share',
      'acme',
      'warehouse',
      'bob@acme.example',
      '--out',
      file,
    ])
    expect(toBob.code, toBob.stderr).toBe(0)
    expect(await readFile(file, 'utf8')).not.toContain('hunter2')
    expect((await as('bob', ['secret', 'import', 'acme', file])).code).toBe(0)
    const revealed = await as('bob', ['secret', 'show', 'acme', 'warehouse', '--reveal'])
    expect(revealed.stdout).toMatch(/password\s+hunter2-but-longer/)
    // alice's own copy does not open for bob
    const stolen = await as('bob', ['secret', 'import', 'acme', aliceCopy])
    expect(stolen.code, stolen.stderr).toBe(1)
  }, 120_000)

  it('sums values the nodes cannot read: a Paillier key, encrypted uploads by two members, a sum job re-checked, the total opened by the key holder', async () => {
    const publicFile = join(root, 'bonus.paillier.json')
    const created = await as('alice', ['sum-key', 'create', 'acme', 'bonus', '--out', publicFile])
    expect(created.code, created.stderr).toBe(0)
    expect(created.stdout).toMatch(/Paillier key [0-9a-f]{16} \(2048 bits\)/)
    expect(await readFile(publicFile, 'utf8')).not.toContain('lambda')
    const twice = await as('alice', [
      'sum-key',
      'create',
      'acme',
      'bonus',
      '--out',
      `${publicFile}2`,
    ])
    expect(twice.stderr).toContain('already has a secret named bonus')

    const mine = join(root, 'bonus-alice.txt')
    const theirs = join(root, 'bonus-bob.txt')
    await writeFile(mine, '1200\n-350\n77\n')
    await writeFile(theirs, '999\n-2000\n')
    for (const [who, file, dataset] of [
      ['alice', mine, 'bonus-alice'],
      ['bob', theirs, 'bonus-bob'],
    ] as const) {
      const up = await as(who, [
        'upload',
        'acme',
        file,
        '--paillier',
        publicFile,
        '--dataset',
        dataset,
      ])
      expect(up.code, up.stderr).toBe(0)
      expect(up.stdout).toMatch(/values encrypted under Paillier key/)
    }
    const sumOf = (...more: string[]) =>
      as('bob', [
        '--json',
        'job',
        'submit',
        'acme',
        'bonus-alice',
        '--kind',
        'sum',
        '--with',
        ...more,
      ])
    // a sum can't take plain values: refused before anything is recorded
    const plain = await sumOf('spend')
    expect(plain.code).toBe(1)
    expect(plain.stderr).toMatch(
      /spend can't be used for this job: a sum job takes Paillier ciphertexts.*DatasetShapeError/,
    )

    const submitted = await sumOf('bonus-bob')
    expect(submitted.code, submitted.stderr).toBe(0)
    const { jobId } = JSON.parse(submitted.stdout)
    const sealed = await as('bob', ['--json', 'job', 'result', jobId, '--timeout', '240'])
    expect(sealed.code, sealed.stderr).toBe(0)
    expect(JSON.parse(sealed.stdout)).toMatchObject({ kind: 'sum', count: 5, verified: true })
    expect(JSON.parse(sealed.stdout).total).toBeUndefined()
    // bob has no copy of the private key until alice, its holder, shares it
    const without = await as('bob', ['job', 'result', jobId, '--open', 'bonus'])
    expect(without.code).toBe(1)
    const file = join(root, 'bonus-for-bob.json')
    expect(
      (await as('alice', ['secret', 'share', 'acme', 'bonus', 'bob@acme.example', '--out', file]))
        .code,
    ).toBe(0)
    expect((await as('bob', ['secret', 'import', 'acme', file])).code).toBe(0)
    const opened = await as('bob', ['job', 'result', jobId, '--open', 'bonus'])
    expect(opened.code, opened.stderr).toBe(0)
    expect(opened.stdout).toMatch(/total: -74\n/)
    expect(opened.stdout).toContain('ciphertexts re-added')
  }, 120_000)

  it('revoking the teammate rotates the key: nodes re-attest and get version 2, old data still reads and runs, then is re-sealed; the teammate is refused', async () => {
    const revoke = await as('alice', ['--json', 'project', 'revoke', 'acme', 'bob@acme.example'])
    expect(revoke.code, revoke.stderr).toBe(0)
    expect(JSON.parse(revoke.stdout)).toMatchObject({
      keyVersion: 2,
      rolesRevoked: ['member'],
      nodes: ['node-a', 'node-b'],
      unreached: [],
    })
    const members = await as('alice', ['project', 'members', 'acme'])
    expect(members.stdout).not.toContain('bob')
    const bob = await as('bob', ['download', 'acme', 'spend'])
    expect(bob.code, bob.stderr).toBe(1)
    expect(bob.stderr).toContain('bob@acme.example lacks the member role')

    // new data goes under version 2; the old dataset (version 1) still opens and runs
    const csv = join(root, 'more.txt')
    await writeFile(csv, `${values.map(v => v + 1).join('\n')}\n`)
    expect((await as('alice', ['upload', 'acme', csv, '--dataset', 'more'])).code).toBe(0)
    const more = await as('alice', ['download', 'acme', 'more'])
    expect(more.stdout.trim().split('\n').map(Number)).toEqual(values.map(v => v + 1))
    const job = await as('alice', ['--json', 'job', 'submit', 'acme', 'spend', '--threshold', '90'])
    expect(job.code, job.stderr).toBe(0)
    const result = await as('alice', [
      '--json',
      'job',
      'result',
      JSON.parse(job.stdout).jobId,
      '--timeout',
      '120',
    ])
    expect(result.code, result.stderr).toBe(0)
    expect(JSON.parse(result.stdout).count).toBe(String(values.filter(v => v >= 90).length))

    // the old dataset is re-sealed under version 2, and still reads; a rerun has nothing to do
    const rekey = await as('alice', ['project', 'rekey', 'acme', 'spend', 'more'])
    expect(rekey.code, rekey.stderr).toBe(0)
    expect(rekey.stdout).toMatch(
      /spend: 2 of 2 chunk\(s\) re-sealed under key version 2; \d+ old shard copies deleted/,
    )
    expect(rekey.stdout).toMatch(/more: 0 of 2 chunk\(s\) re-sealed .*\(already current\)/)
    expect(rekey.stderr).toContain('spend: chunk 2/2')
    const spend = await as('alice', ['download', 'acme', 'spend'])
    expect(spend.stdout.trim().split('\n').map(Number)).toEqual(values)
    const again = await as('alice', ['--json', 'project', 'rekey', 'acme', 'spend'])
    expect(JSON.parse(again.stdout).datasets[0]).toMatchObject({ resealed: 0, deleted: 0 })
    const unknown = await as('alice', ['project', 'rekey', 'acme', 'nope'])
    expect(unknown.stderr).toContain('[UnknownDatasetError]')
  }, 300_000)

  it('an identity with no role is refused by the nodes, naming why, and a wrong password opens nothing', async () => {
    expect(
      (await as('carol', ['key', 'init', '--identity', 'carol@else.example', ...USER_BITS])).code,
    ).toBe(0)
    const carol = await as('carol', ['download', 'acme', 'spend'])
    expect(carol.code, carol.stderr).toBe(1)
    expect(carol.stderr).toContain('carol@else.example lacks the member role')
    const wrong = await as('alice', ['download', 'acme', 'spend'], { SEALNET_PASSWORD: 'guess' })
    expect(wrong.code, wrong.stderr).toBe(1)
    expect(wrong.stderr).toContain('[WrongMasterPasswordError]')
  }, 120_000)
})
