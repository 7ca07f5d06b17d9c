/**
 * The auditor's dashboard end to end: the demo story on a `sealnet chain start` chain,
 * `sealnet audit serve` as a process, and Chromium (from npm, test/chromium.ts) driven by
 * playwright-core.
 * Screenshots go to test-results/dashboard/ (ignored by git).
 */
import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { id } from 'ethers'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openLedger } from '../client/sdk/index.ts'
import { type RunningAnvil, startAnvil } from '../dev-chain/index.ts'
import { projectIdOf } from '../protocol/ledger/index.ts'
import { launchChromium } from './chromium.ts'
import { type Running, startSealnet, stopSealnet } from './cli-processes.ts'
import { freePort } from './free-port.ts'

const SHOTS = new URL('../test-results/dashboard/', import.meta.url).pathname
const PROJECT = projectIdOf('acme-churn')
/** A page redraw reads the chain again: allow it a few seconds. */
const WAIT = { timeout: 15_000 }

async function serveDashboard(args: string[]): Promise<{ running: Running; url: string }> {
  const port = await freePort()
  const running = await startSealnet(
    [...args, 'audit', 'serve', '--port', String(port)],
    'press Ctrl-C',
  )
  return { running, url: `http://127.0.0.1:${port}/` }
}

describe('sealnet audit serve in Chromium', () => {
  let home: string
  let chain: Running
  let dashboard: { running: Running; url: string }
  let browser: Browser
  let page: Page
  const extra: Running[] = []
  let bareAnvil: RunningAnvil | undefined

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'sealnet-dashboard-'))
    await mkdir(SHOTS, { recursive: true })
    const chainPort = await freePort()
    chain = await startSealnet(
      ['--home', home, 'chain', 'start', '--port', String(chainPort)],
      'press Ctrl-C',
    )
    const demo = await promisify(execFile)(
      process.execPath,
      [new URL('../scripts/demo.ts', import.meta.url).pathname, '--home', home],
      { maxBuffer: 16 * 1024 * 1024 },
    )
    expect(demo.stdout).toMatch(/All \d+ steps checked out/)
    dashboard = await serveDashboard(['--home', home])
    browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 1280, height: 1600 } })
  }, 300_000)

  afterAll(async () => {
    await browser?.close()
    for (const running of [dashboard?.running, ...extra, chain])
      if (running) await stopSealnet(running)
    await bareAnvil?.stop()
    // absent when the set-up stopped early: its error is the one to read
    if (home) await rm(home, { recursive: true, force: true })
  })

  it('lists the projects, identities and nodes on the chain, and asks for no password', async () => {
    await page.goto(dashboard.url)
    await page.getByTestId('projects').waitFor()
    await expect(page.locator('[data-project="acme-churn"]').count()).resolves.toBe(1)
    for (const name of ['alice@acme.example', 'bob@acme.example', 'node-4.sealnet.local'])
      await expect(page.locator(`[data-identity="${name}"]`).count()).resolves.toBe(1)
    await expect(page.getByTestId('chain').textContent()).resolves.toMatch(
      /chain 31337 .* block \d+/,
    )
    await expect(page.locator('input[type=password]').count()).resolves.toBe(0)
    await page.screenshot({ path: `${SHOTS}overview.png` })
  })

  it('shows the project: verified proofs, authorized nodes and the refused node-4', async () => {
    await page.click('text=acme-churn')
    await page.getByTestId('timeline').waitFor()
    const nodeState = (name: string) =>
      page.locator(`[data-testid=nodes] [data-node="${name}"]`).getAttribute('data-state')
    for (const name of ['node-1', 'node-2', 'node-3'])
      await expect(nodeState(`${name}.sealnet.local`)).resolves.toBe('authorized')
    await expect(nodeState('node-4.sealnet.local')).resolves.toBe('not-authorized')
    await expect(
      page.locator('[data-node="node-4.sealnet.local"]').textContent(),
    ).resolves.toContain('not authorized')
    const verified = page.locator('[data-testid=jobs] tr[data-proof="verified"]')
    await expect(verified.count()).resolves.toBe(4)
    await expect(verified.first().textContent()).resolves.toMatch(
      /stats over \d+ chunk\(s\).*proofs valid/,
    )
    await expect(verified.nth(2).textContent()).resolves.toMatch(
      /linear over 2 chunk\(s\), 32 outputs; proofs valid/,
    )
    // the demo's small network: 32 records in chunks of 4
    await expect(verified.last().textContent()).resolves.toMatch(
      /mlp over 8 chunk\(s\), 32 outputs; proofs valid/,
    )
    // the sum has no proof to verify: the page says so rather than "verified"
    await expect(
      page.locator('[data-testid=jobs] tr[data-proof="no proof"]').textContent(),
    ).resolves.toMatch(/sum.*recorded without a proof/)
    // the ONNX and training jobs are attested, and the page says so, not "verified"
    const attested = page.locator('[data-testid=jobs] tr[data-proof="attested"]')
    await expect(attested.count()).resolves.toBe(2)
    await expect(attested.first().textContent()).resolves.toMatch(
      /train-logistic.*attested, not proven.*ATTESTED, NOT PROVEN/,
    )
    await expect(attested.last().textContent()).resolves.toMatch(/onnx.*model SHA-256/)
    await expect(page.getByTestId('proof-check').textContent()).resolves.toContain('snarkjs')
    // the forged completion was refused on chain: that job never completed
    await expect(
      page.locator('[data-testid=jobs] tr[data-proof="not completed"]').count(),
    ).resolves.toBe(1)
    await expect(
      page.locator('[data-testid=grants] tr[data-change="key revoked"]').textContent(),
    ).resolves.toContain('bob@acme.example')
    await expect(page.getByTestId('access-summary').textContent()).resolves.toMatch(
      /(\d+) access records in (\d+) batches reported by nodes; \2 batch roots match/,
    )
    await expect(page.locator('[data-testid=access-chart] canvas').count()).resolves.toBe(1)
    await page.screenshot({ path: `${SHOTS}project.png`, fullPage: true })
  })

  it('filters the timeline by kind, identity and time range', async () => {
    const count = () => page.getByTestId('timeline-count').textContent()
    const all = Number((await count())!.match(/of (\d+)/)![1])
    expect(all).toBeGreaterThan(20)
    /** Submits (or resets) the filter and waits for the page drawn with it. */
    const apply = async (button = 'submit') => {
      const before = await page.locator('#app').getAttribute('data-rendered-at')
      await page.click(`[data-testid=timeline-filters] button[type=${button}]`)
      await expect
        .poll(() => page.locator('#app').getAttribute('data-rendered-at'), WAIT)
        .not.toBe(before)
    }
    const kinds = () =>
      page
        .locator('[data-testid=timeline] tbody tr')
        .evaluateAll(rows => rows.map(r => r.getAttribute('data-kind')))

    await page.getByTestId('filter-kind').selectOption('JobCompleted')
    await apply()
    // stats, linear, sum; then the AI section's training, ONNX, proven linear and mlp jobs
    await expect.poll(count, WAIT).toBe('7 of 7 events')
    await expect(kinds()).resolves.toEqual(Array(7).fill('JobCompleted'))

    await page.getByTestId('filter-kind').selectOption('')
    await page.getByTestId('filter-identity').selectOption('bob@acme.example')
    await apply()
    const bobs = await kinds()
    expect(bobs).toContain('ProjectKeyRevoked')
    expect(bobs).toContain('JobSubmitted')
    expect(bobs).not.toContain('ProjectMeasurementAllowed')

    // a range that ends before the project began holds nothing
    await page.getByTestId('filter-identity').selectOption('')
    await page.getByTestId('filter-until').fill('2020-01-01T00:00:00')
    await apply()
    await expect.poll(count, WAIT).toBe('0 of 0 events')

    await apply('reset')
    await expect.poll(count, WAIT).toBe(`${all} of ${all} events`)
  })

  it('exports the project report as Markdown', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export').click(),
    ])
    expect(download.suggestedFilename()).toBe('acme-churn-report.md')
    const path = `${SHOTS}acme-churn-report.md`
    await download.saveAs(path)
    const text = await readFile(path, 'utf8')
    expect(text).toContain('# Sealnet project report: acme-churn')
    expect(text).toMatch(/\| node-4\.sealnet\.local \| not-authorized \|/)
    for (const kind of ['stats', 'linear'])
      expect(text).toMatch(
        new RegExp(
          `\\| ${kind} \\| bob@acme\\.example \\| node-\\d\\.sealnet\\.local \\| completed \\| verified:`,
        ),
      )
    expect(text).toMatch(/\d+ passed, 0 failed/)
  })

  it('updates live when a new event is recorded on chain', async () => {
    await page.goto(`${dashboard.url}#/project/${PROJECT}`)
    await page.reload()
    await page.getByTestId('timeline').waitFor()
    const count = () => page.getByTestId('timeline-count').textContent()
    const before = Number((await count())!.match(/of (\d+)/)![1])
    // alice is account 1 of the demo; she allowlists a new node build
    const { ledger, close } = await openLedger({ home }, c => c.provider.getSigner(1))
    await ledger.allowMeasurement(PROJECT, id('node build 2'))
    await close()
    await expect
      .poll(() => page.getByTestId('timeline-count').textContent(), WAIT)
      .toBe(`${before + 1} of ${before + 1} events`)
    await expect(page.getByTestId('live').textContent()).resolves.toMatch(/1 new event in block/)
    await expect(
      page.locator('[data-testid=timeline] tbody tr').last().getAttribute('data-kind'),
    ).resolves.toBe('ProjectMeasurementAllowed')
  })

  it('says so on the page for an unknown project id', async () => {
    await page.goto(`${dashboard.url}#/project/0x${'ab'.repeat(32)}`)
    const problem = page.getByTestId('problem')
    await problem.waitFor()
    await expect(problem.getAttribute('data-code')).resolves.toBe('unknown-project')
    await expect(problem.textContent()).resolves.toContain(`No project "0x${'ab'.repeat(32)}"`)
    await page.goto(`${dashboard.url}#/project/not-an-id`)
    await page.waitForSelector('[data-testid=problem][data-code=bad-request]')
  })

  it('says so on the page for an unreachable endpoint and a chain without the contracts', async () => {
    const closedPort = await freePort()
    const unreachable = await serveDashboard([
      '--home',
      home,
      '--rpc',
      `http://127.0.0.1:${closedPort}`,
    ])
    extra.push(unreachable.running)
    expect(unreachable.running.stdout).toContain("the chain can't be read yet")
    await page.goto(unreachable.url)
    const problem = page.getByTestId('problem')
    await problem.waitFor()
    await expect(problem.getAttribute('data-code')).resolves.toBe('rpc-unreachable')
    await expect(problem.textContent()).resolves.toContain(`127.0.0.1:${closedPort} did not answer`)
    await expect(page.getByTestId('banner').isVisible()).resolves.toBe(true)
    await page.screenshot({ path: `${SHOTS}unreachable.png` })

    bareAnvil = await startAnvil({ port: await freePort(), statePath: join(home, 'bare.json') })
    const bare = await serveDashboard(['--home', home, '--rpc', bareAnvil.url])
    extra.push(bare.running)
    await page.goto(bare.url)
    await page.waitForSelector('[data-testid=problem][data-code=contracts-missing]')
    await expect(page.getByTestId('problem').textContent()).resolves.toContain(
      'a chain without the Sealnet contracts',
    )
  })
})
