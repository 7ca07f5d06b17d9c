/**
 * Nodes as separate hosts: the chain, three nodes and the user each in a network
 * namespace of their own (veth pairs on one bridge, made and removed by the test, as
 * root), one process each, with `tc netem` 50 ms delay and 1 % loss on every link where
 * the kernel has sch_netem. Discovery, upload, a job and a download complete; the times
 * go to test-results/netns.json (reported, never asserted), with whether netem applied.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type CliNetwork, startCliNetwork, USER_BITS } from '../cli-network.ts'
import { makeNetnsLab, type NetnsLab, netnsAvailable } from '../netns-lab.ts'

const NODES = ['node-a', 'node-b', 'node-c']
const values = Array.from({ length: 100 }, (_, i) => (i * 7919) % 1000)

describe.runIf(netnsAvailable())('nodes in separate network namespaces', () => {
  let lab: NetnsLab
  let net: CliNetwork
  const seconds: Record<string, number> = {}
  /** Runs a command as `who` that must succeed, timing it under `step`. */
  const timed = async (step: string, who: string, args: string[]) => {
    const started = performance.now()
    const r = await net.as(who, args)
    expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0)
    seconds[step] = Number(((seconds[step] ?? 0) + (performance.now() - started) / 1000).toFixed(2))
    return r
  }

  beforeAll(async () => {
    lab = makeNetnsLab(['chain', ...NODES, 'alice'], { delayMs: 50, lossPercent: 1 })
    const started = performance.now()
    net = await startCliNetwork(NODES, 'netns', lab)
    seconds.chain_and_nodes_started = Number(((performance.now() - started) / 1000).toFixed(2))
  }, 300_000)

  afterAll(async () => {
    await net?.stop()
    lab?.remove()
    await mkdir('test-results', { recursive: true })
    const report = { hosts: Object.values(lab?.hosts ?? {}), netem: lab?.netem, seconds }
    await writeFile('test-results/netns.json', `${JSON.stringify(report, null, 2)}\n`)
    process.stdout.write(`netns: ${JSON.stringify({ netem: lab?.netem, seconds })}\n`)
  })

  it('every process listens on its own namespace address only, the chain included', () => {
    for (const node of net.nodes)
      expect(node.addr).toMatch(new RegExp(`^/ip4/${lab.hosts[node.name]!.address}/tcp/`))
    expect(new Set(Object.values(lab.hosts).map(h => h.netns)).size).toBe(NODES.length + 2)
  })

  it('discovery, upload, a job and a download complete across the namespaces', async () => {
    await timed('key_init', 'alice', ['key', 'init', '--identity', 'alice', ...USER_BITS])
    await timed('project_create', 'alice', ['project', 'create', 'hosts'])
    // the first authorization names the measurement the project must allow
    const refused = await net.as('alice', ['node', 'authorize', 'hosts', NODES[0]!])
    const measurement = /measurement (0x[0-9a-f]{64})/.exec(refused.stderr)?.[1]
    expect(measurement, refused.stderr).toBeDefined()
    await timed('project_allow', 'alice', ['project', 'allow', 'hosts', measurement!])
    // each node is reached over its namespace's link to take the project key
    for (const node of NODES)
      await timed('authorize_3_nodes', 'alice', ['node', 'authorize', 'hosts', node])

    const file = join(net.root, 'values.txt')
    await writeFile(file, `${values.join('\n')}\n`)
    const up = await timed('upload', 'alice', ['upload', 'hosts', file, '--dataset', 'spend'])
    expect(up.stdout).toContain('100 values')

    const submitted = await timed('job_submit', 'alice', [
      ...['--json', 'job', 'submit', 'hosts', 'spend', '--threshold', '500'],
    ])
    const { jobId } = JSON.parse(submitted.stdout)
    const result = await timed('job_result', 'alice', [
      ...['--json', 'job', 'result', jobId, '--timeout', '240'],
    ])
    const opened = JSON.parse(result.stdout)
    expect(opened.count).toBe(String(values.filter(v => v >= 500).length))
    expect(opened.verified).toBe(true)

    const down = await timed('download', 'alice', ['download', 'hosts', 'spend'])
    expect(down.stdout.trim().split('\n').map(Number)).toEqual(values)
  }, 600_000)
})
