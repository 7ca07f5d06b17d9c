/** The demo, section 2: She creates a project and seals a dataset in it. */

import { readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { openFile, sealFile } from '../../client/sdk/index.ts'
import {
  createProjectKey,
  type WrappedProjectKey,
  wrapProjectKey,
  wrappedKeyDigest,
} from '../../protocol/crypto/index.ts'
import { refused, section, sha256, step } from './progress.ts'
import type { BeforeSection2 } from './stages.ts'

export type ProjectStage = Awaited<ReturnType<typeof createProjectAndSeal>>

export async function createProjectAndSeal(story: BeforeSection2) {
  const { alice, aliceLedger, home } = story
  section('2. She creates a project and seals a dataset in it')
  const projectId = await step(
    'project acme-churn is created on the ledger; alice is its owner',
    () => aliceLedger.createProject('acme-churn', 90 * 86400),
  )
  const projectKey = createProjectKey('acme-churn')
  const ownerGrant = await step(
    'project acme-churn gets a random AES-256 key, stored only wrapped (RSA-OAEP) to her key',
    () => wrapProjectKey(projectKey, alice.publicKey),
    w => `key version ${w.version}, ${Buffer.from(w.wrapped, 'base64').length}-byte wrapped key`,
  )
  /** Records a grant on the ledger: the hash of the wrapped key, never the key. */
  const recordGrant = (grant: WrappedProjectKey, grantee: string, measurement?: string) =>
    aliceLedger.recordGrant(projectId, grantee, grant.version, wrappedKeyDigest(grant), measurement)
  await step('the ledger records her grant: the hash of the wrapped key, never the key', () =>
    recordGrant(ownerGrant, 'alice@acme.example'),
  )
  const dataset = join(home, 'customers.csv')
  const rows = ['id,tenure_months,monthly_spend,churned']
  for (let i = 0; i < 200_000; i++)
    rows.push(`${i},${(i * 7) % 72},${((i * 7919) % 9000) / 100},${i % 5 === 0 ? 1 : 0}`)
  await writeFile(dataset, `${rows.join('\n')}\n`)
  const plainHash = sha256(await readFile(dataset))
  const context = { projectId: 'acme-churn', objectId: 'customers.csv' }
  await step(
    'customers.csv is sealed chunk by chunk (AES-256-GCM, 1 MiB chunks, bound to project/object/position)',
    async () => {
      await sealFile(projectKey, context, dataset, `${dataset}.sealed`)
      return (await stat(`${dataset}.sealed`)).size
    },
    size => `${(size / 1024 / 1024).toFixed(2)} MiB sealed`,
  )
  await step(
    'opened again, it matches the original byte for byte',
    async () => {
      await openFile(projectKey, context, `${dataset}.sealed`, join(home, 'opened.csv'))
      return sha256(await readFile(join(home, 'opened.csv'))) === plainHash
    },
    same => (same ? 'SHA-256 equal' : 'MISMATCH'),
  )
  const tampered = Buffer.from(await readFile(`${dataset}.sealed`))
  tampered[tampered.length - 500]! ^= 0x01
  await writeFile(join(home, 'tampered.sealed'), tampered)
  await refused(
    'one flipped bit is detected, and no partial output is written',
    'EnvelopeAuthError',
    () => openFile(projectKey, context, join(home, 'tampered.sealed'), join(home, 'tampered.csv')),
  )
  return { context, dataset, ownerGrant, plainHash, projectId, projectKey, recordGrant, rows }
}
