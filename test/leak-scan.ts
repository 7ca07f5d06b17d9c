/**
 * Looks for secret bytes in captured data (wire frames, gossip, chain calldata and logs,
 * LevelDB entries) in every form they could travel in: raw, hex, base64 and base64url
 * at any byte alignment. A leak scan that finds nothing proves little unless it is
 * also shown to find what does travel; the tests that use it check both.
 * @module
 */

export interface Needle {
  /** What the bytes are, for the report: "project key v1", "alice's prime p". */
  name: string
  bytes: Uint8Array
}

export interface Haystack {
  /** Where the bytes were seen: "frame 12", "block 7 calldata", "node1 LevelDB". */
  name: string
  bytes: Uint8Array
}

export interface Leak {
  needle: string
  haystack: string
  form: string
}

/**
 * The base64 characters that depend only on `bytes` when they sit `shift` bytes past a
 * 3-byte boundary of the surrounding data: whole groups, without the ones shared with
 * neighbouring bytes.
 */
function base64Core(bytes: Uint8Array, shift: number): string {
  const padded = Buffer.concat([Buffer.alloc(shift), bytes])
  const encoded = padded.toString('base64')
  const start = shift === 0 ? 0 : 4
  const end = Math.floor(padded.length / 3) * 4
  return encoded.slice(start, end)
}

/** Every form of `bytes` to look for, named. Forms shorter than 8 bytes are left out as noise. */
export function encodedForms(bytes: Uint8Array): Array<{ form: string; pattern: Buffer }> {
  const raw = Buffer.from(bytes)
  const forms = [
    { form: 'raw', pattern: raw },
    { form: 'hex', pattern: Buffer.from(raw.toString('hex')) },
    { form: 'HEX', pattern: Buffer.from(raw.toString('hex').toUpperCase()) },
  ]
  for (const shift of [0, 1, 2]) {
    const core = base64Core(raw, shift)
    forms.push({ form: `base64+${shift}`, pattern: Buffer.from(core) })
    forms.push({
      form: `base64url+${shift}`,
      pattern: Buffer.from(core.replaceAll('+', '-').replaceAll('/', '_')),
    })
  }
  return forms.filter(f => f.pattern.length >= 8)
}

/** Every place a needle shows up in a haystack, in any of its forms. */
export function findLeaks(haystacks: readonly Haystack[], needles: readonly Needle[]): Leak[] {
  const leaks: Leak[] = []
  for (const needle of needles) {
    const forms = encodedForms(needle.bytes)
    for (const haystack of haystacks) {
      const bytes = Buffer.from(
        haystack.bytes.buffer,
        haystack.bytes.byteOffset,
        haystack.bytes.length,
      )
      const found = forms.find(f => bytes.includes(f.pattern))
      if (found) leaks.push({ needle: needle.name, haystack: haystack.name, form: found.form })
    }
  }
  return leaks
}
