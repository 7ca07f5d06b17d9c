/**
 * A node's measurement: SHA-256 over the code it runs (every non-test source file under
 * `protocol/` and `node/`, by path and content) and the configuration that changes what
 * it does. Two nodes built from the same commit with the same settings measure the same;
 * a patched file or a debug switch changes it, so the project's allowlist refuses it.
 * @module
 */
import { createHash } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'

/** The settings that are measured: anything that changes how a node treats data. */
export interface MeasuredConfig {
  /** Runs with a pre-shared-key private network. */
  privateNetwork: boolean
  /** Debug mode: verbose logs that may include request metadata. */
  debug: boolean
}

export const MEASURED_FOLDERS = ['protocol', 'node'] as const

async function sourceFiles(root: string, folder: string): Promise<string[]> {
  const entries = await readdir(join(root, folder), { recursive: true, withFileTypes: true })
  return entries
    .filter(e => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .map(e => relative(root, join(e.parentPath, e.name)))
    .sort()
}

/** 0x-prefixed hex, as the on-chain allowlist stores it. */
export async function measureNode(root: string, config: MeasuredConfig): Promise<string> {
  const hash = createHash('sha256').update('sealnet/measurement/v1\0')
  for (const folder of MEASURED_FOLDERS) {
    for (const file of await sourceFiles(root, folder)) {
      const content = await readFile(join(root, file))
      hash.update(`${file}\0${content.length}\0`).update(content)
    }
  }
  hash.update(JSON.stringify({ privateNetwork: config.privateNetwork, debug: config.debug }))
  return `0x${hash.digest('hex')}`
}
