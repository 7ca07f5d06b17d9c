import { projectIdOf } from '../../../protocol/ledger/index.ts'
import { openLedger, UnknownProjectError } from '../../sdk/index.ts'
import { type GlobalOptions, sealnetHome } from '../io.ts'

/**
 * The ledger (read-only) and the id of `project` (a name or a 0x id); UnknownProjectError
 * if the chain has no such project.
 */
export async function openProjectLedger(global: GlobalOptions, project: string) {
  const projectId = /^0x[0-9a-fA-F]{64}$/.test(project) ? project : projectIdOf(project)
  const opened = await openLedger({
    home: sealnetHome(global),
    rpc: global.rpc,
    deployment: global.deployment,
  })
  try {
    await opened.ledger.keyVersion(projectId)
  } catch (err) {
    await opened.close()
    if ((err as { reason?: string }).reason === 'ProjectsUnknown')
      throw new UnknownProjectError(project)
    throw err
  }
  return { ...opened, projectId }
}
