/**
 * Merkle root of an access batch: leaves are keccak256(abi.encode(record)), combined by
 * merkleRoot. Nodes compute it before sending a batch; auditors recompute it from the event.
 * @module
 */
import { AbiCoder, keccak256 } from 'ethers'
import { merkleRoot } from './merkle.ts'

export interface AccessRecordInput {
  objectId: string
  accessor: string
  /** ACCESS_ACTIONS: read 0, write 1, delete 2 */
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
  return merkleRoot(records.map(leaf))
}
