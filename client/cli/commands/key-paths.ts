import { join } from 'node:path'

/** Until the ledger holds identities, they live as verified records in this folder. */
export function identitiesFolder(home: string): string {
  return join(home, 'identities')
}
