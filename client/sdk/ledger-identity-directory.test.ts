import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createMasterKeyRecord,
  createProjectKey,
  deriveMasterKey,
  unwrapProjectKey,
  wrapProjectKey,
} from '../../protocol/crypto/index.ts'
import { type Fixture, startFixture } from '../../test/ledger-fixture.ts'
import { LedgerIdentityDirectory } from './ledger-identity-directory.ts'
import { shareProjectKey } from './share-project-key.ts'

const hasName = (name: string) => expect.objectContaining({ name })

describe('LedgerIdentityDirectory', () => {
  let f: Fixture
  beforeAll(async () => {
    f = await startFixture()
  })
  afterAll(() => f.chain.close())

  it('registers on chain and looks up the verified record, again a no-op for the same key', async () => {
    const { alice, bob } = f.accounts
    await new LedgerIdentityDirectory(alice.ledger).register(alice.record)
    await new LedgerIdentityDirectory(alice.ledger).register(alice.record)
    expect(await new LedgerIdentityDirectory(bob.ledger).lookup('alice')).toEqual(alice.record)
    expect(await new LedgerIdentityDirectory(bob.ledger).lookup('nobody')).toBeUndefined()
  })

  it('refuses another key for a registered identity with IdentityExistsError', async () => {
    const { alice, bob } = f.accounts
    const other = createMasterKeyRecord(
      await deriveMasterKey('other', 'alice', alice.record.params),
    )
    await expect(new LedgerIdentityDirectory(bob.ledger).register(other)).rejects.toThrow(
      hasName('IdentityExistsError'),
    )
  })

  it('returns the rotated record after a key rotation', async () => {
    const { carol } = f.accounts
    await new LedgerIdentityDirectory(carol.ledger).register(carol.record)
    const rotated = createMasterKeyRecord(
      await deriveMasterKey('new', 'carol', carol.record.params),
    )
    await carol.ledger.rotateIdentityKey(rotated)
    expect((await new LedgerIdentityDirectory(carol.ledger).lookup('carol'))?.fingerprint).toBe(
      rotated.fingerprint,
    )
  })

  it('lets sharing find a node key on chain, and refuses an identity that is not there', async () => {
    const { alice, node1 } = f.accounts
    const nodeKey = await deriveMasterKey('node1 password', 'node1', node1.record.params)
    await new LedgerIdentityDirectory(node1.ledger, { kind: 'node', peerId: 'peer-1' }).register(
      node1.record,
    )
    const aliceKey = await deriveMasterKey('alice password', 'alice', alice.record.params)
    const own = wrapProjectKey(createProjectKey('p'), aliceKey.publicKey)
    const directory = new LedgerIdentityDirectory(alice.ledger)
    const grant = await shareProjectKey(directory, own, aliceKey.privateKey, 'node1')
    expect(unwrapProjectKey(grant, nodeKey.privateKey).projectId).toBe('p')
    await expect(shareProjectKey(directory, own, aliceKey.privateKey, 'node9')).rejects.toThrow(
      hasName('UnknownIdentityError'),
    )
  })
})
