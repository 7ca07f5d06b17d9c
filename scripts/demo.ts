/**
 * npm run demo: the Sealnet story on one machine, with what happened printed as it goes.
 * Until the network and the ledger exist this walks the crypto story: master keys,
 * a project, a sealed file, a secret, sharing with a teammate, authorizing a node, and
 * the refusals. Exits 0 only if every step checked out.
 */
import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FileIdentityDirectory, openFile, sealFile, shareProjectKey } from '../client/sdk/index.ts'
import {
  createMasterKeyRecord,
  createProjectKey,
  deriveMasterKey,
  type MasterKey,
  openMasterKey,
  openSecret,
  sealSecret,
  unwrapProjectKey,
  wrapProjectKey,
} from '../protocol/crypto/index.ts'

const started = performance.now()
let steps = 0
// on a terminal a step shows "…" while it runs and is redrawn when done; in a log, one line
const interactive = process.stdout.isTTY === true
const clear = interactive ? '\r\x1b[2K' : ''

function section(title: string): void {
  process.stdout.write(`\n== ${title}\n`)
}

async function step<T>(
  title: string,
  work: () => Promise<T> | T,
  detail?: (result: T) => string,
): Promise<T> {
  const t0 = performance.now()
  if (interactive) process.stdout.write(`  … ${title}`)
  try {
    const result = await work()
    const seconds = ((performance.now() - t0) / 1000).toFixed(2)
    process.stdout.write(
      `${clear}  ✓ ${title} (${seconds} s)${detail ? `: ${detail(result)}` : ''}\n`,
    )
    steps++
    return result
  } catch (err) {
    process.stdout.write(
      `${clear}  ✗ ${title}\n    ${(err as Error).name}: ${(err as Error).message}\n`,
    )
    process.exit(1)
  }
}

/** A step that passes only if `work` throws the named error. */
function refused(title: string, errorName: string, work: () => Promise<unknown>): Promise<string> {
  return step(
    title,
    async () => {
      try {
        await work()
      } catch (err) {
        if ((err as Error).name === errorName) return `${errorName}: ${(err as Error).message}`
        throw err
      }
      throw new Error(`expected ${errorName}, but it succeeded`)
    },
    why => `refused with ${why}`,
  )
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')
const home = await mkdtemp(join(tmpdir(), 'sealnet-demo-'))
const directory = new FileIdentityDirectory(join(home, 'identities'))

process.stdout.write(`Sealnet demo: crypto story (state in ${home})\n`)

section('1. A business derives its master key from a password')
const alice: MasterKey = await step(
  'alice@acme.example derives an RSA-2048 key (scrypt N=2^17, then deterministic primes)',
  () => deriveMasterKey('correct horse battery staple', 'alice@acme.example'),
  key => `fingerprint ${key.fingerprint.slice(0, 16)}…`,
)
await step('her public record (key, signed challenge, KDF parameters) is registered', () =>
  directory.register(createMasterKeyRecord(alice)),
)
const record = (await directory.lookup('alice@acme.example'))!
await step(
  'on another day, the same password re-derives the byte-identical key',
  () => openMasterKey('correct horse battery staple', record),
  key => (key.fingerprint === alice.fingerprint ? 'same fingerprint' : 'DIFFERENT'),
)
await refused('a wrong password is refused, nothing written', 'WrongMasterPasswordError', () =>
  openMasterKey('correct horse battery stable', record),
)

section('2. She creates a project and seals a dataset in it')
const projectKey = createProjectKey('acme-churn')
const ownerGrant = await step(
  'project acme-churn gets a random AES-256 key, stored only wrapped (RSA-OAEP) to her key',
  () => wrapProjectKey(projectKey, alice.publicKey),
  w => `key version ${w.version}, ${Buffer.from(w.wrapped, 'base64').length}-byte wrapped key`,
)
const dataset = join(home, 'customers.csv')
const rows = ['id,tenure_months,monthly_spend,churned']
for (let i = 0; i < 200_000; i++)
  rows.push(`${i},${(i * 7) % 72},${((i * 13) % 9000) / 100},${i % 5 === 0 ? 1 : 0}`)
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

section('3. She keeps a database credential as a secret')
const secret = await step(
  'a credentials secret is validated and sealed to her key',
  () =>
    sealSecret(
      {
        type: 'credentials',
        name: 'warehouse-db',
        data: { username: 'etl', password: randomBytes(12).toString('base64') },
      },
      alice.publicKey,
    ),
  s => `${s.type}/${s.name}, ${s.box.length} base64 chars`,
)
await step(
  'she opens it with her private key',
  () => openSecret(secret, alice.privateKey),
  s => `user ${(s.data as { username: string }).username}`,
)
await refused('a malformed secret is refused, naming the field', 'InvalidSecretError', async () =>
  sealSecret(
    { type: 'aws', name: 'prod', data: { accessKeyId: 'not-an-id', secretAccessKey: 'x' } },
    alice.publicKey,
  ),
)

section('4. She shares the project with a teammate')
const bob = await step('bob@acme.example derives and registers his own key', async () => {
  const key = await deriveMasterKey('bob has his own password', 'bob@acme.example')
  await directory.register(createMasterKeyRecord(key))
  return key
})
const bobGrant = await step('alice re-wraps the project key to bob’s registered public key', () =>
  shareProjectKey(directory, ownerGrant, alice.privateKey, 'bob@acme.example'),
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

section('5. She authorizes a node to hold the project key')
const node = await step(
  'node-1 derives its key from its node secret and registers it',
  async () => {
    const key = await deriveMasterKey('node-1 operator secret', 'node-1.sealnet.local')
    await directory.register(createMasterKeyRecord(key))
    return key
  },
)
const nodeGrant = await step('alice wraps the project key for node-1', () =>
  shareProjectKey(directory, ownerGrant, alice.privateKey, 'node-1.sealnet.local'),
)
await step('node-1 unwraps it (it can now serve and compute on this project)', () => {
  unwrapProjectKey(nodeGrant, node.privateKey)
  return true
})
await refused('bob cannot use the node’s wrapped key', 'UnwrapError', async () =>
  unwrapProjectKey(nodeGrant, bob.privateKey),
)

await rm(home, { recursive: true, force: true })
const total = ((performance.now() - started) / 1000).toFixed(1)
process.stdout.write(
  `\nAll ${steps} steps checked out in ${total} s. The network, ledger and proofs come in the next issues.\n`,
)
