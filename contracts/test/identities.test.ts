import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMasterKeyRecord, deriveMasterKey } from '../../protocol/crypto/index.ts'
import { identityIdOf } from '../../protocol/ledger/index.ts'
import { decoded, type Fixture, refusedWith, startFixture } from '../../test/ledger-fixture.ts'

describe('SealnetIdentities', () => {
  let f: Fixture
  beforeAll(async () => {
    f = await startFixture()
  })
  afterAll(() => f.chain.close())

  it('registers a user with its key and record, readable by anyone', async () => {
    const { alice, bob } = f.accounts
    await alice.ledger.registerIdentity('user', alice.record)
    expect(await bob.ledger.identity('alice')).toEqual({
      kind: 'user',
      controller: alice.address,
      fingerprint: alice.record.fingerprint,
      keyVersion: 1,
      publicKey: alice.record.publicKey,
      peerId: '',
    })
  })

  it('refuses a second registration of a name with IdentitiesAlreadyRegistered', async () => {
    const { alice, bob } = f.accounts
    const args = await refusedWith(
      bob.ledger.registerIdentity('user', alice.record),
      'IdentitiesAlreadyRegistered',
    )
    expect(args[0]).toBe(identityIdOf('alice'))
  })

  it('refuses a node without a peer id with IdentitiesInvalidRecord', async () => {
    const { node1 } = f.accounts
    await refusedWith(
      node1.ledger.registerIdentity('node', node1.record),
      'IdentitiesInvalidRecord',
    )
    await node1.ledger.registerIdentity('node', node1.record, '12D3KooWExamplePeer')
    expect((await node1.ledger.identity('node1'))?.kind).toBe('node')
  })

  it('refuses a name holding a control character with IdentitiesInvalidName, before and on chain', async () => {
    const { carol } = f.accounts
    const squatter = { ...carol.record, identity: 'bob\u0000@acme.example' }
    await expect(carol.ledger.registerIdentity('user', squatter)).rejects.toMatchObject({
      name: 'InvalidNameError',
    })
    const args = await refusedWith(
      decoded(
        carol.ledger.identities.getFunction('register')(
          'bob\u0000@acme.example',
          1,
          `0x${carol.record.fingerprint}`,
          `0x${Buffer.from(carol.record.publicKey, 'base64').toString('hex')}`,
          '',
          '{}',
        ),
      ),
      'IdentitiesInvalidName',
    )
    expect(args).toEqual(['bob\u0000@acme.example'])
  })

  it('lets only the controller rotate a key, and counts versions', async () => {
    const { alice, bob } = f.accounts
    const rotated = createMasterKeyRecord(
      await deriveMasterKey('new password', 'alice', alice.record.params),
    )
    await refusedWith(bob.ledger.rotateIdentityKey(rotated), 'IdentitiesNotController')
    await alice.ledger.rotateIdentityKey(rotated)
    expect(await bob.ledger.identity('alice')).toMatchObject({
      keyVersion: 2,
      fingerprint: rotated.fingerprint,
    })
  })

  it('lets the controller hand control to another account, and no one else', async () => {
    const { carol, dave, node2 } = f.accounts
    await carol.ledger.registerIdentity('user', carol.record)
    await refusedWith(
      dave.ledger.setIdentityController('carol', dave.address),
      'IdentitiesNotController',
    )
    await carol.ledger.setIdentityController('carol', node2.address)
    expect((await dave.ledger.identity('carol'))!.controller).toBe(node2.address)
    // the old account lost control with the handover
    await refusedWith(
      carol.ledger.setIdentityController('carol', carol.address),
      'IdentitiesNotController',
    )
  })

  it('refuses rotating the key of an unregistered identity with IdentitiesUnknown', async () => {
    const { dave } = f.accounts
    await refusedWith(dave.ledger.rotateIdentityKey(dave.record), 'IdentitiesUnknown')
  })

  it('answers undefined for an unknown identity', async () => {
    expect(await f.accounts.bob.ledger.identity('nobody')).toBeUndefined()
  })
})
