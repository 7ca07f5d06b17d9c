/** The demo, section 3: She keeps a database credential as a secret. */

import { randomBytes } from 'node:crypto'
import { openSecret, sealSecret } from '../../protocol/crypto/index.ts'
import { refused, section, step } from './progress.ts'
import type { BeforeSection3 } from './stages.ts'

export type SecretStage = Awaited<ReturnType<typeof keepSecret>>

export async function keepSecret(story: BeforeSection3) {
  const { alice } = story
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
  return { secret }
}
