import * as core from '@actions/core'
import { rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { phase } from '../common/log.js'
import { Deadline, systemClock, type Clock } from '../common/retry.js'
import type { Action } from '../common/run.js'
import { beanstalkGateways, storageGateways } from './aws/gateways.js'
import type { StorageFor } from './aws/s3.js'
import { logsOnFailure } from './diagnostics/index.js'
import { readInputs, type Inputs } from './inputs.js'
import { createTwin, lookUpPair, withBlueGreen } from './bluegreen/index.js'
import { lookUp, type GatewayFor, type LookedUp } from './lookup.js'
import { describePlan, makePlan, type Plan } from './plan.js'
import { report, type DeployRun } from './report.js'
import { busyError, carryOutUpdate, updateError, waitForReady, type UpdateWatch } from './update/index.js'
import {
  chooseVersion,
  createVersion,
  makeRoom,
  pruneAfterDeploy,
  upload,
  waitProcessed
} from './versions/index.js'

export type { DeployRun } from './report.js'

export interface Dependencies {
  gatewayFor: GatewayFor
  /** S3, for the upload and for comparing an existing version's bundle: only made when one of them happens. */
  storageFor: StorageFor
  clock: Clock
  env: NodeJS.ProcessEnv
}

/** inputs → look-up → bundle → plan → wait, upload, version → update (follow, rollback) → report. */
export function deployBeanstalk(deps: Partial<Dependencies> = {}): Action<DeployRun> {
  const clock = deps.clock ?? systemClock
  const env = deps.env ?? process.env
  const storageFor = deps.storageFor ?? storageGateways(clock) // S3 loaded only when something is uploaded or compared
  return {
    record: () => ({ started: clock.now(), events: [] }),
    main: async run => {
      const inputs = (run.inputs = readInputs(env))
      if (inputs.descriptionTruncated)
        core.notice('version-description is longer than 200 characters: it was cut to 200.')
      // The Beanstalk client is loaded once the inputs are valid: a refused input exits without it (cold start).
      const gatewayFor = deps.gatewayFor ?? (await beanstalkGateways(clock))
      const story: Dependencies = { gatewayFor, storageFor, clock, env }
      const deadline = new Deadline(inputs.timeoutMs, clock)
      try {
        // Every Beanstalk request of the run keeps to the step's timeout, the wait for a call-budget slot included.
        await gatewayFor(inputs.region).within(deadline, async () => {
          const plan = await decide(run, inputs, story)
          await phase('Plan', async () => describePlan(plan).forEach(line => core.info(line)))
          for (const warning of plan.warnings) core.warning(warning)
          if (plan.dryRun) return
          await carryOut(run, plan, { ...story, deadline })
        })
      } finally {
        if (run.bundle?.temporary) await rm(run.bundle.path, { force: true })
      }
    },
    report: (run, error) => report(run, error, clock.now())
  }
}

/** Look-up (read-only), the bundle (local), the version and the plan (pure). Nothing in AWS changes here. */
async function decide(run: DeployRun, given: Inputs, story: Dependencies): Promise<Plan> {
  const beanstalk = story.gatewayFor(given.region)
  // blue/green: the pair; the idle one is deployed to (or, when it is to be created, the live one read to clone)
  const pair = await lookUpPair(story.gatewayFor, given)
  const inputs = pair?.inputs ?? given
  const found: LookedUp = await phase(
    `Look up ${inputs.application}/${inputs.environment} in ${inputs.region}`,
    () => lookUp(story.gatewayFor, inputs, story.storageFor, story.clock, pair?.environment)
  )
  run.environment = pair?.blueGreen.create ? undefined : found.environment
  // an existing label and nothing new to build from: a redeploy, no bundle
  const redeployOnly =
    found.existing !== undefined && inputs.source.kind === 'compose' && inputs.source.image === undefined
  const workspace = story.env.GITHUB_WORKSPACE ?? process.cwd()
  if (!redeployOnly) {
    const tempDir = story.env.RUNNER_TEMP || tmpdir()
    // the bundle's YAML and zip code are loaded only when a bundle is made
    const { prepareBundle } = await import('./bundle/index.js')
    run.bundle = await phase('Bundle', () => prepareBundle(inputs.source, workspace, tempDir))
  }
  const version = await chooseVersion(beanstalk, story.storageFor, inputs, found, run.bundle, {
    env: story.env,
    workspace
  })
  const plan = makePlan({
    inputs,
    environment: found.environment,
    label: version.label,
    description: version.description,
    bundle: run.bundle,
    existing: version.existing,
    configuration: found.configuration,
    warnings: [...found.warnings, ...version.warnings],
    retention: version.retention,
    promotedFrom: found.promotion?.source,
    versionNote: version.note,
    platform: found.platform
  })
  return (run.plan = pair ? withBlueGreen(plan, pair.blueGreen) : plan)
}

/** A busy environment waited out, then the new version (upload, create, processed), then the update. */
async function carryOut(
  run: DeployRun,
  plan: Plan,
  story: Dependencies & { deadline: Deadline }
): Promise<void> {
  const { clock, deadline } = story
  const beanstalk = story.gatewayFor(plan.region)
  const watch: UpdateWatch = seen => {
    if (seen.requested) run.requested = true
    if (seen.event) run.events.push(seen.event)
    if (seen.environment) run.environment = seen.environment
  }
  plan = run.plan = await createTwin(beanstalk, plan, deadline, watch) // blue/green: a missing idle twin first
  // Before anything is uploaded or created: a timeout leaves no debris.
  const ready = await waitForReady(beanstalk, plan, deadline)
  if (!ready) throw busyError(plan)
  run.environment = ready
  if (plan.mode === 'new-version') {
    await makeRoom(plan, beanstalk)
    const since = new Date(clock.now())
    const storage = await story.storageFor(plan.region)
    const uploaded = (run.uploaded = await phase('Upload the bundle', () =>
      upload(beanstalk, storage, plan, clock)
    ))
    await phase(`Create version ${plan.label}`, async () => {
      const version = await createVersion(beanstalk, plan, uploaded.bucket)
      run.created = true
      core.info(`Version ${plan.label} created in ${plan.application}: ${version.status}.`)
      await waitProcessed(beanstalk, plan, deadline, since, uploaded.bucket, version.status)
    })
  }
  const onFailed = logsOnFailure(beanstalk, plan, run, story)
  const ctx = { deadline, ready, started: run.started, watch, onFailed }
  run.update = await carryOutUpdate(beanstalk, plan, ctx)
  const failure = updateError(plan, run.update)
  if (failure) throw failure
  await pruneAfterDeploy(plan, beanstalk) // deployed, or accepted and not waited for (wait: false)
}
