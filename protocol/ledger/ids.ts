/**
 * On-chain ids: keccak256 of a name, as the contracts compute them. Every name becomes an
 * id here, so this is where a name is checked (assertName: no control characters).
 */
import { id } from 'ethers'
import { assertName } from '../names.ts'

/** identityId of `name` (SealnetIdentities.register). */
export function identityIdOf(name: string): string {
  return id(assertName('identity', name))
}

/** projectId of `name` (SealnetProjects.createProject). */
export function projectIdOf(name: string): string {
  return id(assertName('project', name))
}

/** datasetId of a dataset `name` (SealnetProjects.commitDataset). */
export function datasetIdOf(name: string): string {
  return id(`dataset:${assertName('dataset', name)}`)
}

export const ROLES = {
  owner: id('OWNER'),
  admin: id('ADMIN'),
  member: id('MEMBER'),
  auditor: id('AUDITOR'),
} as const
export type RoleName = keyof typeof ROLES

/**
 * Kinds of k-of-n sensitive actions: erasing a dataset (target: its dataset id),
 * deploying a model (target: its commitment), and changing the rules themselves.
 */
export const ACTION_KINDS = {
  eraseDataset: id('erase-dataset'),
  deployModel: id('deploy-model'),
  /** A new set of approvers (target: approversChangeTarget). */
  changeApprovers: id('change-approvers'),
  /** A shorter retention (target: retentionCutTarget). */
  cutRetention: id('cut-retention'),
} as const

/** Byte of an access record's action. */
export const ACCESS_ACTIONS = { read: 0, write: 1, delete: 2 } as const
