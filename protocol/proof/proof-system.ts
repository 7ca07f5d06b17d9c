/**
 * The seam between Sealnet and a proof system. Circuits name their system (circuits.ts);
 * everything else handles a `ChunkProof` without looking into its `proof`, which only
 * that system reads, and puts proofs on chain through the system's ABI form. Groth16 with
 * snarkjs (groth16.ts) is the one system today. Setup (proving and verifying keys, the
 * Solidity verifier) is still scripts/setup-circuits.ts, which runs the snarkjs CLI.
 * @module
 */
import { AbiCoder } from 'ethers'

/** One chunk's proof, JSON-safe: the circuit and size that made it, its public signals, the system's proof object. */
export interface ChunkProof {
  circuit: string
  size: number
  /** Opaque outside its proof system. */
  proof: unknown
  publicSignals: string[]
}

/** A circuit's prover at one size, keys read once. */
export interface ChunkProver {
  readonly circuit: string
  readonly size: number
  /** Computes the witness and proves it; throws if the inputs violate a constraint. */
  prove(input: Record<string, unknown>): Promise<ChunkProof>
}

export interface ProofSystem {
  readonly name: string
  /** The prover of a built circuit; CircuitNotBuiltError when its build outputs are missing. */
  load(circuit: string, size: number): ChunkProver
  /** Checks a chunk proof off chain: false for any mismatch, never throws on bad input. */
  verify(chunk: ChunkProof): Promise<boolean>
  /** The Solidity tuple type of one chunk proof with `signals` public signals, e.g. `tuple(uint256[2] a, …, uint256[3] pub)`. */
  abiTuple(signals: number): string
  /** One chunk proof as that tuple's values. */
  calldata(chunk: ChunkProof): unknown[]
  /** The inverse of calldata: the proof object back from the tuple's decoded values. */
  fromCalldata(values: readonly unknown[]): unknown
}

const coder = AbiCoder.defaultAbiCoder()

/** The `proof` bytes of completeJob for chunk proofs of one circuit: abi.encode of the tuples, in order. */
export function encodeChunkProofs(
  system: ProofSystem,
  signals: number,
  chunks: readonly ChunkProof[],
): string {
  return coder.encode([`${system.abiTuple(signals)}[]`], [chunks.map(c => system.calldata(c))])
}

/**
 * The inverse of encodeChunkProofs. A chunk's size is not among its public signals, so
 * each is returned once per size in `sizes`; only the right one verifies.
 */
export function decodeChunkProofs(
  system: ProofSystem,
  circuit: string,
  signals: number,
  sizes: readonly number[],
  proofBytes: string,
): ChunkProof[][] {
  const [tuples] = coder.decode([`${system.abiTuple(signals)}[]`], proofBytes) as unknown as [
    unknown[][],
  ]
  return tuples.map(values => {
    const publicSignals = (values.at(-1) as bigint[]).map(v => v.toString())
    const proof = system.fromCalldata(values)
    return sizes.map(size => ({ circuit, size, proof, publicSignals }))
  })
}
