/** Where the UltraHonk candidate's build outputs live (scripts/setup-honk.ts makes them). */
import { join } from 'node:path'

/** Values per proof of the UltraHonk `stats` circuit built by default: 2^17 gates, 19 a value (noir_wasm fails at 8 192: "unreachable", out of WASM memory). */
export const HONK_STATS_SIZES = [4096]

const BUILD = new URL('../../circuits/build/honk/', import.meta.url).pathname

export function honkDir(size: number): string {
  return join(BUILD, `stats_${size}`)
}

/** The reference string bb reads (`-c`): development powers of τ, or a ceremony's. */
export function honkReferenceString(): string {
  return join(BUILD, 'crs')
}

/** Solidity name of the exported verifier, e.g. StatsHonkVerifier4096. */
export function honkVerifierName(size: number): string {
  return `StatsHonkVerifier${size}`
}

/** The `bb` binary @aztec/bb.js ships for this platform. */
export const BB = new URL(
  `../../node_modules/@aztec/bb.js/build/${process.arch === 'arm64' ? 'arm64' : 'amd64'}-${process.platform === 'darwin' ? 'macos' : 'linux'}/bb`,
  import.meta.url,
).pathname
