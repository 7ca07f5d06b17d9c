/**
 * Hosts in network namespaces the test makes itself (root only): a switch namespace with
 * a bridge, and per host a namespace whose eth0 is a veth into that bridge, on 10.77.0.0/24.
 * Each host's link gets `tc netem` delay and loss where the kernel has sch_netem. The
 * addresses exist only inside these namespaces, and remove() deletes them all.
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const IP = '/usr/sbin/ip'
const TC = '/usr/sbin/tc'

export interface NetnsHost {
  name: string
  netns: string
  /** Its IPv4 address on the lab's bridge. */
  address: string
}

export interface NetnsLab {
  hosts: Record<string, NetnsHost>
  /** netem on every host's link, or why the kernel could not take it. */
  netem:
    | { applied: true; delayMs: number; lossPercent: number }
    | { applied: false; reason: string }
  remove(): void
}

const ip = (...args: string[]) => execFileSync(IP, args, { stdio: 'pipe' })

/** Whether this process may make network namespaces: root, with iproute2. */
export function netnsAvailable(): boolean {
  return process.getuid?.() === 0 && existsSync(IP)
}

/** Makes one namespace per name, all on one bridge; netem (delay, loss) on each host's link. */
export function makeNetnsLab(
  names: readonly string[],
  link: { delayMs: number; lossPercent: number },
): NetnsLab {
  const prefix = `sn${process.pid}`
  const made: string[] = []
  const remove = () => {
    for (const netns of made.reverse()) ip('netns', 'del', netns)
    made.length = 0
  }
  try {
    const sw = `${prefix}-sw`
    ip('netns', 'add', sw)
    made.push(sw)
    ip('-n', sw, 'link', 'add', 'br0', 'type', 'bridge')
    ip('-n', sw, 'link', 'set', 'br0', 'up')
    const hosts: Record<string, NetnsHost> = {}
    let netem: NetnsLab['netem'] = { applied: true, ...link }
    names.forEach((name, i) => {
      const netns = `${prefix}-${i}`
      ip('netns', 'add', netns)
      made.push(netns)
      ip('-n', sw, 'link', 'add', `h${i}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', netns)
      ip('-n', sw, 'link', 'set', `h${i}`, 'master', 'br0')
      ip('-n', sw, 'link', 'set', `h${i}`, 'up')
      const address = `10.77.0.${i + 1}`
      ip('-n', netns, 'addr', 'add', `${address}/24`, 'dev', 'eth0')
      ip('-n', netns, 'link', 'set', 'eth0', 'up')
      ip('-n', netns, 'link', 'set', 'lo', 'up')
      if (netem.applied)
        try {
          ip(
            'netns',
            'exec',
            netns,
            TC,
            'qdisc',
            'add',
            'dev',
            'eth0',
            'root',
            'netem',
            'delay',
            `${link.delayMs}ms`,
            'loss',
            `${link.lossPercent}%`,
          )
        } catch (err) {
          // a kernel without sch_netem ("Specified qdisc kind is unknown"): said, not hidden
          const stderr = String((err as { stderr?: Buffer }).stderr ?? err).trim()
          netem = { applied: false, reason: `tc netem refused: ${stderr}` }
        }
      hosts[name] = { name, netns, address }
    })
    return { hosts, netem, remove }
  } catch (err) {
    remove()
    throw err
  }
}
