/** What the story has made before each section: the base, then every earlier section's result. */

import type { LedgerStage } from './0-ledger.ts'
import type { OwnerKeyStage } from './1-master-key.ts'
import type { ProjectStage } from './2-project.ts'
import type { SecretStage } from './3-secret.ts'
import type { ShareStage } from './4-share.ts'
import type { NodesStage } from './5-nodes.ts'
import type { JobsStage } from './6-jobs.ts'
import type { RevocationStage } from './7-revocation.ts'
import type { ErasureStage } from './8-erasure.ts'
import type { AuditStage } from './9-audit.ts'
import type { DemoBase } from './progress.ts'

/** What section 0 gets. */
export type BeforeSection0 = DemoBase
/** What section 1 gets. */
export type BeforeSection1 = BeforeSection0 & LedgerStage
/** What section 2 gets. */
export type BeforeSection2 = BeforeSection1 & OwnerKeyStage
/** What section 3 gets. */
export type BeforeSection3 = BeforeSection2 & ProjectStage
/** What section 4 gets. */
export type BeforeSection4 = BeforeSection3 & SecretStage
/** What section 5 gets. */
export type BeforeSection5 = BeforeSection4 & ShareStage
/** What section 6 gets. */
export type BeforeSection6 = BeforeSection5 & NodesStage
/** What section 7 gets. */
export type BeforeSection7 = BeforeSection6 & JobsStage
/** What section 8 gets. */
export type BeforeSection8 = BeforeSection7 & RevocationStage
/** What section 9 gets. */
export type BeforeSection9 = BeforeSection8 & ErasureStage
/** What the end of the demo gets. */
export type WholeStory = BeforeSection9 & AuditStage
