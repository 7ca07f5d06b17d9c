import { join } from 'node:path'

/** `sealnet node init` writes here unless --config says otherwise. */
export function defaultNodeConfigPath(home: string): string {
  return join(home, 'node', 'config.json')
}

export const NODE_SECRET = {
  flag: '--secret-file',
  env: 'SEALNET_NODE_SECRET',
  label: 'node secret',
}
