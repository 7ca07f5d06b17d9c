/**
 * The node's config file (`<home>/node/config.json`, written by `sealnet node init`).
 * It holds no secret: the node's keys are re-derived from its secret at every start, and
 * its libp2p key is sealed in its vault.
 * @module
 */

import { readFile } from 'node:fs/promises'
import * as z from 'zod'
import { parseMasterKeyRecord } from '../../protocol/crypto/index.ts'
import { NameSchema } from '../../protocol/names.ts'
import { SealnetError } from '../../protocol/sealnet-error.ts'

export const NODE_CONFIG_VERSION = 1

export const NodeConfigSchema = z.strictObject({
  version: z.literal(NODE_CONFIG_VERSION),
  identity: z.string().min(1),
  /** The public master-key record, to check the secret at start. */
  record: z.unknown().transform((value, ctx) => {
    try {
      return parseMasterKeyRecord(value)
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message })
      return z.NEVER
    }
  }),
  /** Folder of the node's databases. */
  dataDir: z.string().min(1),
  listen: z.array(z.string()).min(1),
  bootstrap: z.array(z.string()),
  mdns: z.boolean(),
  /** A /key/swarm/psk/1.0.0/ file: only peers holding it connect. */
  swarmKeyFile: z.string().optional(),
  quotaBytes: z.number().int().positive().optional(),
  projectQuotaBytes: z.number().int().positive().optional(),
  /** Serve only projects these identities own: the node's consent. Every granted project if absent. */
  acceptOwners: z.array(NameSchema).min(1).optional(),
  /** localhost port of /metrics and /health. */
  metricsPort: z.number().int().min(0).max(65535).optional(),
  /** The chain: its deployment file and (optionally) an RPC URL other than the file's. */
  deployment: z.string().min(1),
  rpc: z.string().optional(),
})
export type NodeConfig = z.infer<typeof NodeConfigSchema>
export type NodeConfigInput = z.input<typeof NodeConfigSchema>

export class InvalidNodeConfigError extends SealnetError {
  readonly code = 'invalid-node-config'
  constructor(path: string, problem: string) {
    super(`node config ${path} is not valid: ${problem}`)
  }
}

export async function readNodeConfig(path: string): Promise<NodeConfig> {
  let value: unknown
  try {
    value = JSON.parse(await readFile(path, 'utf8'))
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new InvalidNodeConfigError(path, 'no such file; create it with "sealnet node init"')
    }
    throw new InvalidNodeConfigError(path, (err as Error).message)
  }
  const parsed = NodeConfigSchema.safeParse(value)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new InvalidNodeConfigError(path, `${issue.path.join('.') || 'file'}: ${issue.message}`)
  }
  return parsed.data
}
