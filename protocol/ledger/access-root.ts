/**
 * Merkle root of an access batch: leaves are keccak256(abi.encode(record)); pairs hash
 * sorted (OpenZeppelin's commutative keccak), an odd node moves up unchanged. Nodes
 * compute it before sending a batch; auditors recompute it from the event.
 * @module
 */
import { AbiCoder, concat, keccak256 } from 'ethers'

export interface AccessRecordInput {
  objectId: string
  accessor: string
  action: number
  at: bigint | number
}

const coder = AbiCoder.defaultAbiCoder()

function leaf(record: AccessRecordInput): string {
  return keccak256(
    coder.encode(
      ['bytes32', 'bytes32', 'uint8', 'uint64'],
      [record.objectId, record.accessor, record.action, record.at],
    ),
  )
}

/**
 * @example accessBatchRoot([{ objectId, accessor, action: 0, at: 1700000000 }])
 */
export function accessBatchRoot(records: readonly AccessRecordInput[]): string {
  if (records.length === 0) throw new RangeError('an access batch needs at least one record')
  let level = records.map(leaf)
  while (level.length > 1) {
    const next: string[] = []
    for (let i = 0; i < level.length; i += 2) {
      const a = level[i]!
      const b = level[i + 1]
      next.push(b === undefined ? a : keccak256(a < b ? concat([a, b]) : concat([b, a])))
    }
    level = next
  }
  return level[0]!
}
