import * as core from '@actions/core'
import { rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { UserError } from '../common/errors.js'
import { formatDuration } from '../common/format.js'
import { phase } from '../common/log.js'
import { Deadline, systemClock, type Clock } from '../common/retry.js'
import { BeanstalkGateway, type EnvironmentInfo } from './aws/beanstalk.js'
import type { StorageGateway } from './aws/s3.js'
import { prepareBundle, type PreparedBundle } from './bundle/index.js'
import { lookUpConfiguration, startDeployment } from './configuration/index.js'
import { follow, followOptionsFor, type FollowOutcome } from './follow/index.js'
import { readInputs, type Inputs } from './inputs.js'
import { checkApplication, findEnvironment, platformWarning, type GatewayFor } from './lookup.js'
import { describePlan, makePlan, type Plan } from './plan.js'
import { newRunState, reportExit, type RunState } from './exit.js'
import type { Outcome } from './report.js'
import { rollBack } from './rollback.js'
import { waitUntilReady } from './update.js'
import { findPromotion, makeRoom, planVersions, pruneAfterDeploy } from './versions/index.js'
// platform: look-up, what to send, the check after success (platform/)
import { lookUpPlatform, platformNotApplied, platformToSend } from './platform/index.js'
import {
  checkExistingVersion,
  createVersion,
  defaultDescription,
  defaultVersionLabel,
  resolveBucket,
  uploadBundle,
  waitProcessed
} from './version.js'

export type StorageFor = (region: string) => StorageGateway | Promise<StorageGateway>

export interface Dependencies {
  gatewayFor: GatewayFor
  /** S3, for the upload and for comparing an existing version's bundle: only made when one of them happens. */
  storageFor: StorageFor
  clock: Clock
  env: NodeJS.ProcessEnv
}

/** inputs → look-up → bundle → plan → upload → version → deploy → follow (→ rollback) → report. */
export async function run(deps: Partial<Dependencies> = {}): Promise<void> {
  const clock = deps.clock ?? systemClock
  const env = deps.env ?? process.env
  const gateways = new Map<string, BeanstalkGateway>()
  const gatewayFor =
    deps.gatewayFor ??
    ((region: string) => {
      const gateway = gateways.get(region) ?? new BeanstalkGateway(region, undefined, clock)
      gateways.set(region, gateway)
      return gateway
    })
  // The S3 client and the multipart upload are loaded only when something is uploaded or compared: a redeploy,
  // a dry run or a failed look-up never load them (a smaller cold start).
  const storageFor =
    deps.storageFor ??
    (async (region: string) => new (await import('./aws/s3.js')).StorageGateway(region, { clock }))
  const started = clock.now()
  const inputs = await phase('Inputs', async () => readInputs(env))
  if (inputs.descriptionTruncated)
    core.notice('version-description is longer than 200 characters: it was cut to 200.')
  const deadline = new Deadline(inputs.timeoutMs, clock)
  const workspace = env.GITHUB_WORKSPACE ?? process.cwd()
  const state = newRunState(inputs)
  let bundle: PreparedBundle | undefined
  try {
    // Every Beanstalk request of the run keeps to the step's timeout, the wait for a call-budget slot included.
    await gatewayFor(inputs.region).within(deadline, async () => {
      const today = new Date(clock.now()).toISOString().slice(0, 10) // platform: for retirement dates
      const plan = await decide(
        inputs,
        { gatewayFor, storageFor, env, workspace, today },
        b => (bundle = b),
        state
      )
      state.plan = plan
      await phase('Plan', async () => describePlan(plan).forEach(line => core.info(line)))
      for (const warning of plan.warnings) core.warning(warning)
      const outcome = plan.dryRun
        ? {
            result: 'dry-run' as const,
            deployed: false,
            events: [],
            durationMs: clock.now() - started,
            uploadedBytes: 0
          }
        : await carryOut(plan, gatewayFor(plan.region), storageFor, deadline, started, state)
      if (outcome.deployed) await pruneAfterDeploy(plan, gatewayFor(plan.region))
      await reportExit(state, { outcome })
    })
  } catch (error) {
    // every failure after the inputs were read: one report (outputs + summary), then the ::error
    await reportExit(state, { error, durationMs: clock.now() - started })
    throw error
  } finally {
    if (bundle?.temporary) await rm(bundle.path, { force: true })
  }
}

/** Look-up (read-only), the bundle (local), the plan (pure). Nothing in AWS changes here. */
async function decide(
  inputs: Inputs,
  ctx: {
    gatewayFor: GatewayFor
    storageFor: StorageFor
    env: NodeJS.ProcessEnv
    workspace: string
    /** YYYY-MM-DD (platform: retirement dates) */
    today: string
  },
  keep: (bundle: PreparedBundle) => void,
  state: RunState
): Promise<Plan> {
  const beanstalk = ctx.gatewayFor(inputs.region)
  const warnings: string[] = []
  const found = await phase(
    `Look up ${inputs.application}/${inputs.environment} in ${inputs.region}`,
    async () => {
      // The environment found proves its application exists (one request fewer of the 20 a minute); when it is
      // not found, the application is checked first, so a wrong application name is the error shown.
      const environment = await findEnvironment(
        ctx.gatewayFor,
        inputs.region,
        inputs.application,
        inputs.environment
      ).catch(async (error: unknown) => {
        await checkApplication(ctx.gatewayFor, inputs.region, inputs.application)
        throw error
      })
      core.info(
        `${environment.name} (${environment.id}): ${environment.status}, health ${environment.health}, running ${environment.versionLabel ?? 'no version'}; ${environment.solutionStack ?? environment.platformArn ?? 'platform unknown'}`
      )
      state.environment = environment
      const warning = platformWarning(environment)
      if (warning) warnings.push(warning)
      const promotion = inputs.fromEnvironment
        ? await findPromotion(beanstalk, {
            application: inputs.application,
            region: inputs.region,
            from: inputs.fromEnvironment,
            requiredHealth: inputs.requiredHealth,
            expectedLabel: inputs.versionLabel
          })
        : undefined
      if (promotion)
        core.info(
          `Promoting ${promotion.label} from ${promotion.source.name} (${promotion.source.status}, health ${promotion.source.health}).`
        )
      const existing =
        promotion?.version ??
        (inputs.versionLabel ? await beanstalk.version(inputs.application, inputs.versionLabel) : undefined)
      if (existing) core.info(`Version ${existing.label} exists (${existing.status}).`)
      else if (inputs.requireExistingVersion) throw noSuchVersion(inputs)
      const configuration = await lookUpConfiguration(
        beanstalk,
        inputs.application,
        environment,
        inputs.region,
        inputs.configuration
      )
      if (configuration) warnings.push(...configuration.warnings)
      // platform: what the environment runs, what `platform` asks for (checked), lifecycle warnings
      const platform = await lookUpPlatform(beanstalk, inputs.platform, environment, ctx.today)
      warnings.push(...platform.warnings)
      return { environment, existing, configuration, promotion, platform }
    }
  )
  const redeployOnly =
    found.existing !== undefined && inputs.source.kind === 'compose' && inputs.source.image === undefined
  let prepared: PreparedBundle | undefined
  if (!redeployOnly) {
    const tempDir = ctx.env.RUNNER_TEMP || tmpdir()
    prepared = await phase('Bundle', () => prepareBundle(inputs.source, ctx.workspace, tempDir))
    keep(prepared)
  }
  const label =
    inputs.versionLabel ??
    found.promotion?.label ??
    defaultVersionLabel(ctx.env.GITHUB_SHA ?? '', prepared?.sha256 ?? '')
  const existing =
    found.existing ?? (inputs.versionLabel ? undefined : await beanstalk.version(inputs.application, label))
  if (existing && prepared) {
    await checkExistingVersion(
      await ctx.storageFor(inputs.region),
      existing,
      prepared,
      inputs.source.kind === 'bundle' ? 'bundle' : 'image'
    )
  }
  const description =
    inputs.versionDescription ?? existing?.description ?? (await defaultDescription(ctx.env, ctx.workspace))
  const versions = await planVersions(beanstalk, inputs, {
    label,
    previousLabel: found.environment.versionLabel,
    createsVersion: existing === undefined
  })
  return makePlan({
    inputs,
    environment: found.environment,
    label,
    description,
    bundle: prepared,
    existing,
    configuration: found.configuration,
    warnings: [...warnings, ...versions.warnings],
    retention: versions.retention,
    promotedFrom: found.promotion?.source,
    platform: found.platform
  })
}

/** `require-existing-version` and the label does not exist: nothing is built, nothing changes. */
function noSuchVersion(inputs: Inputs): UserError {
  return new UserError(
    `Application "${inputs.application}" in ${inputs.region} has no version "${inputs.versionLabel ?? ''}" to redeploy (require-existing-version is true), so nothing was built or changed. Check the label (Beanstalk console → Application versions) and the application name.`,
    { input: 'version-label', title: 'No such version' }
  )
}

/** Upload, version, deploy, follow, roll back on failure when asked. */
async function carryOut(
  plan: Plan,
  beanstalk: BeanstalkGateway,
  storageFor: StorageFor,
  deadline: Deadline,
  started: number,
  state: RunState
): Promise<Outcome> {
  const clock = deadline.clock
  let uploadedBytes = 0
  state.versionExists = plan.mode === 'redeploy'
  // A busy environment is waited out before anything is uploaded or created: a timeout leaves no debris.
  let ready: EnvironmentInfo | undefined = plan.current
  if (plan.environmentStatus !== 'Ready') {
    ready = await phase(`Wait for ${plan.environment} to be Ready`, () =>
      waitUntilReady(beanstalk, plan.environmentId, deadline, { ...plan.current, status: 'Unknown' })
    )
    if (!ready) return busy(plan, state)
    state.environment = ready
  }
  if (plan.mode === 'new-version') {
    await makeRoom(plan, beanstalk)
    const since = new Date(clock.now())
    const bucket = await phase('Upload the bundle', async () => {
      const bucket = await resolveBucket(beanstalk, plan)
      uploadedBytes = await uploadBundle(await storageFor(plan.region), plan, bucket, clock)
      state.uploadedBytes = uploadedBytes
      return bucket
    })
    await phase(`Create version ${plan.label}`, async () => {
      const version = await createVersion(beanstalk, plan, bucket)
      state.versionExists = true
      state.versionCreated = true
      core.info(`Version ${plan.label} created in ${plan.application}: ${version.status}.`)
      await waitProcessed(beanstalk, plan, deadline, since, bucket, version.status)
    })
  }
  const initial = {
    id: plan.environmentId,
    name: plan.environment,
    application: plan.application,
    status: plan.environmentStatus,
    health: 'Grey'
  }
  const deployment = await phase(`Deploy ${plan.label} to ${plan.environment}`, () =>
    startDeployment(
      beanstalk,
      plan,
      {
        label: plan.label,
        running: plan.previousLabel,
        change: plan.configuration?.send,
        platformArn: platformToSend(plan.platform) // platform
      },
      deadline,
      ready?.status === 'Ready' ? { ...initial, ...ready } : { ...initial, status: 'Unknown' }
    )
  )
  const configurationApplied = !plan.configuration?.send
    ? undefined
    : deployment.kind === 'started' && deployment.twoStep
      ? 'before the version, in an update of its own (Beanstalk refused both in one update)'
      : deployment.kind === 'started'
        ? 'with the version, in one update'
        : deployment.kind === 'configuration-failed'
          ? 'in an update of its own, which failed (the version was not deployed)'
          : undefined
  state.configurationApplied = configurationApplied
  // platform: how the platform change went out
  state.platformApplied = !platformToSend(plan.platform)
    ? undefined
    : deployment.kind === 'started' && deployment.twoStep
      ? 'before the version, in an update of its own (Beanstalk refused both in one)'
      : deployment.kind === 'started'
        ? 'with the version, in one update'
        : deployment.kind === 'configuration-failed'
          ? 'in an update of its own, which failed (the version was not deployed)'
          : undefined
  const base = { events: [], uploadedBytes, configurationApplied, platformApplied: state.platformApplied }
  if (deployment.kind === 'configuration-failed') {
    state.updateRequested = true
    return await fail(plan, beanstalk, deployment.followed, { clock, configurationStep: true }, state)
  }
  const request = deployment.kind === 'started' ? deployment.request : undefined
  if (!request) return busy(plan, state)
  state.updateRequested = true
  state.environment = request.environment
  if (!plan.wait) {
    core.info(`Not waiting for the update (wait: false). Follow it in the console: ${plan.consoleUrl}`)
    return {
      ...base,
      result: 'requested',
      deployed: true,
      environment: request.environment,
      durationMs: clock.now() - started
    }
  }
  const followed = await phase(`Follow the update of ${plan.environment}`, () =>
    follow(
      beanstalk,
      followOptionsFor(
        plan,
        { target: plan.label, previous: plan.previousLabel, request },
        deadline,
        seen => {
          // what was seen so far, for the exit report if the follow itself breaks
          if (seen.event) state.events.push(seen.event)
          if (seen.environment) state.environment = seen.environment
        }
      )
    )
  )
  // platform: Beanstalk said success, but the environment must run the target platform too
  const notApplied = followed.kind === 'success' && platformNotApplied(plan.platform, followed.environment)
  if (followed.kind === 'success' && notApplied) {
    return await fail(
      plan,
      beanstalk,
      {
        kind: 'failure',
        decision: { kind: 'failure', cause: 'event', reason: notApplied },
        environment: followed.environment,
        events: followed.events
      },
      { clock },
      state
    )
  }
  if (followed.kind === 'success') {
    core.info(
      `${plan.environment} runs ${plan.label}: Ready, health ${followed.environment.health}, after ${formatDuration(clock.now() - started)}.`
    )
    return {
      ...base,
      result: 'deployed',
      deployed: true,
      environment: followed.environment,
      events: followed.events,
      durationMs: clock.now() - started
    }
  }
  return await fail(plan, beanstalk, followed, { clock }, state)
}

/** The environment stayed busy (another update) until the timeout: nothing of ours was deployed. */
function busy(plan: Plan, state: RunState): never {
  state.result = 'timed-out'
  throw new UserError(
    `${plan.environment} did not become Ready within the timeout (${formatDuration(plan.timeoutMs)}): another update is still running. Nothing of this run was deployed; run again later or raise timeout. See ${plan.consoleUrl}`,
    { input: 'timeout', title: 'Environment busy' }
  )
}

/** A failed or timed-out update: roll back when asked (and possible), report, and fail the step. */
async function fail(
  plan: Plan,
  beanstalk: BeanstalkGateway,
  followed: Exclude<FollowOutcome, { kind: 'success' }>,
  ctx: {
    clock: Clock
    /** The failure is the configuration update of the two-step path (the version was not deployed). */
    configurationStep?: boolean
  },
  state: RunState
): Promise<never> {
  const errors = followed.events.filter(e => /^(ERROR|FATAL)$/i.test(e.severity)).map(e => e.message)
  let reason: string
  if (followed.kind === 'timeout') {
    const env = followed.environment
    reason = `${plan.environment} did not reach Ready on ${ctx.configurationStep ? `${plan.previousLabel ?? 'its version'} after the configuration update (${plan.label} was not deployed)` : plan.label} with health ${plan.requiredHealth} within the timeout (${formatDuration(plan.timeoutMs)})${env ? `; it is ${env.status}, health ${env.health}, running ${env.versionLabel ?? 'no version'}` : ''}. The update may still be running.`
  } else {
    reason = ctx.configurationStep
      ? `Applying the configuration to ${plan.environment} failed (${plan.label} was not deployed): ${followed.decision.reason}`
      : `Deploying ${plan.label} to ${plan.environment} failed: ${followed.decision.reason}`
    const more = errors.filter(message => message !== followed.decision.reason).slice(-5)
    if (more.length > 0) reason += ` Beanstalk said: ${more.join(' | ')}`
  }
  let rollback
  if (plan.rollbackOnFailure) {
    rollback =
      followed.kind === 'timeout'
        ? { result: 'skipped' as const, detail: 'not attempted: the update may still be running.' }
        : await phase(`Roll back to ${plan.previousLabel ?? '(none)'}`, () =>
            rollBack(beanstalk, plan, followed.environment, ctx.clock)
          )
    reason += ` Rollback: ${rollback.detail}`
  }
  reason += ` See ${plan.consoleUrl}`
  state.result = followed.kind === 'timeout' ? 'timed-out' : 'failed'
  state.environment = rollback?.environment ?? followed.environment ?? state.environment
  state.events = followed.events
  state.rollback = rollback
  throw new UserError(reason, {
    input: followed.kind === 'timeout' ? 'timeout' : undefined,
    title: followed.kind === 'timeout' ? 'Deployment timed out' : 'Deployment failed'
  })
}
