import { describe, expect, it } from 'vitest'
import { readSecret } from './io.ts'

describe('readSecret', () => {
  it('takes a secret from the environment once, removing it from process.env at once', async () => {
    process.env.SEALNET_TEST_SECRET = 'kept out of children'
    const source = { flag: '--secret-file', env: 'SEALNET_TEST_SECRET', label: 'test secret' }
    expect(await readSecret(source)).toBe('kept out of children')
    expect(process.env.SEALNET_TEST_SECRET).toBeUndefined()
    expect(Object.keys(process.env)).not.toContain('SEALNET_TEST_SECRET')
    // a second read in the same command still gets it
    expect(await readSecret(source)).toBe('kept out of children')
  })
})
