/** The demo, section 4: She shares the project with a teammate. */

import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { LedgerIdentityDirectory, openFile, shareProjectKey } from '../../client/sdk/index.ts'
import {
  createMasterKeyRecord,
  deriveMasterKey,
  unwrapProjectKey,
} from '../../protocol/crypto/index.ts'
import { refused, section, sha256, step } from './progress.ts'
import type { BeforeSection4 } from './stages.ts'

export type ShareStage = Awaited<ReturnType<typeof shareWithTeammate>>

export async function shareWithTeammate(story: BeforeSection4) {
  const {
    accounts,
    alice,
    aliceLedger,
    bobLedger,
    context,
    dataset,
    directory,
    home,
    ownerGrant,
    plainHash,
    projectId,
    recordGrant,
  } = story
  section('4. She shares the project with a teammate')
  const bob = await step(
    'bob@acme.example derives his own key and registers it on the ledger',
    async () => {
      const key = await deriveMasterKey('bob has his own password', 'bob@acme.example')
      await new LedgerIdentityDirectory(bobLedger).register(createMasterKeyRecord(key))
      return key
    },
  )
  await step('alice makes bob a member of the project', async () =>
    aliceLedger.grantRole(projectId, 'member', await accounts[2]!.getAddress()),
  )
  const bobGrant = await step(
    'alice re-wraps the project key to bob’s key as the ledger has it, and records the grant',
    async () => {
      const grant = await shareProjectKey(
        directory,
        ownerGrant,
        alice.privateKey,
        'bob@acme.example',
      )
      await recordGrant(grant, 'bob@acme.example')
      return grant
    },
  )
  await step(
    'bob unwraps it and opens the dataset',
    async () => {
      const key = unwrapProjectKey(bobGrant, bob.privateKey)
      await openFile(key, context, `${dataset}.sealed`, join(home, 'bob.csv'))
      return sha256(await readFile(join(home, 'bob.csv'))) === plainHash
    },
    same => (same ? 'SHA-256 equal' : 'MISMATCH'),
  )
  await refused(
    'sharing with someone who has no registered key is refused',
    'UnknownIdentityError',
    () => shareProjectKey(directory, ownerGrant, alice.privateKey, 'carol@acme.example'),
  )
  return { bob, bobGrant }
}
