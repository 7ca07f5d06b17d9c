/**
 * Deploys the proof checking behind SealnetJobs: the snarkjs-exported Groth16 verifiers
 * (contracts/generated, made by npm run setup:circuits), one adapter per job kind, and
 * the router that SealnetJobs calls, with each kind's adapter registered on it by the
 * deploying account (its admin and first registrar).
 * @module
 */
import { Contract, type Signer } from 'ethers'
import { JOB_KINDS } from '../protocol/job-kinds/index.ts'
import { DEFAULT_VERIFIER_SIZES, loadArtifact } from '../protocol/ledger/index.ts'
import { MLP_RECORDS, verifierContractName } from '../protocol/proof/index.ts'
import { deployContract } from './deploy-ledger.ts'

/**
 * Deploys verifiers for `stats` chunks of `statsSize` values, `linear` chunks of
 * `linearRecords` records, `mlp` chunks of its one built size, `sum` jobs (checked by re-execution, see SumJobVerifier.sol) and
 * the attested kinds, ONNX inference and training (AttestedJobVerifier.sol);
 * returns the router address to give deployLedger.
 * @example const verifier = await deployJobVerifiers(signer, { statsSize: 32, linearRecords: 16 })
 */
export async function deployJobVerifiers(
  signer: Signer,
  sizes: { statsSize: number; linearRecords: number },
): Promise<string> {
  const statsGroth16 = await deployContract(
    signer,
    `generated/${verifierContractName('stats', sizes.statsSize)}`,
    [],
  )
  const stats = await deployContract(signer, 'StatsJobVerifier', [statsGroth16])
  const linearGroth16 = await deployContract(
    signer,
    `generated/${verifierContractName('linear', sizes.linearRecords)}`,
    [],
  )
  const linear = await deployContract(signer, 'ModelJobVerifier', [JOB_KINDS.linear, linearGroth16])
  const mlpGroth16 = await deployContract(
    signer,
    `generated/${verifierContractName('mlp', MLP_RECORDS)}`,
    [],
  )
  const mlp = await deployContract(signer, 'ModelJobVerifier', [JOB_KINDS.mlp, mlpGroth16])
  const sum = await deployContract(signer, 'SumJobVerifier', [])
  const attested = await deployContract(signer, 'AttestedJobVerifier', [])
  const address = await deployContract(signer, 'JobVerifierRouter', [await signer.getAddress()])
  const router = new Contract(address, loadArtifact('JobVerifierRouter').abi, signer)
  const verifiers: { [K in keyof typeof JOB_KINDS]: string } = {
    stats,
    linear,
    mlp,
    sum,
    onnx: attested,
    'train-linear': attested,
    'train-logistic': attested,
  }
  for (const [kind, verifier] of Object.entries(verifiers) as [keyof typeof JOB_KINDS, string][])
    await (await router.registerVerifier!(JOB_KINDS[kind], verifier)).wait()
  return address
}

/**
 * Deploys the job verifiers when the circuits are built (npm run setup:circuits), else
 * returns undefined: the ledger then runs without proof checking (no job can complete).
 */
export async function deployJobVerifiersIfBuilt(
  signer: Signer,
  sizes = DEFAULT_VERIFIER_SIZES,
): Promise<string | undefined> {
  try {
    loadArtifact(`generated/${verifierContractName('stats', sizes.statsSize)}`)
    loadArtifact(`generated/${verifierContractName('linear', sizes.linearRecords)}`)
    loadArtifact(`generated/${verifierContractName('mlp', MLP_RECORDS)}`)
  } catch {
    return undefined
  }
  return deployJobVerifiers(signer, sizes)
}
