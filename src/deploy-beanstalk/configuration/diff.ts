import { UserError } from '../../common/errors.js'
import {
  ENVIRONMENT_NAMESPACE,
  SECRETS_NAMESPACE,
  parseSecretArn,
  type ConfigurationInputs,
  type OptionSettingInput
} from './inputs.js'

/**
 * The configuration inputs against what the environment has now (DescribeConfigurationSettings): what changes,
 * what to send (only the differences), how to undo it (for a rollback), and the checks that need the current
 * state (the size limit, the secrets' region and account). Pure. Values are compared, never shown.
 */

/** "The combined size of all environment properties cannot exceed 4,096 bytes when stored as strings with the
 * format key=value" (Elastic Beanstalk Developer Guide, Environment property limits). Counted over the
 * aws:elasticbeanstalk:application:environment namespace, the one the guide's limit is about. */
export const MAX_PROPERTY_BYTES = 4096

export interface OptionRef {
  namespace: string
  optionName: string
  resourceName?: string
}

/** What UpdateEnvironment gets: OptionSettings and OptionsToRemove. */
export interface ConfigurationRequest {
  optionSettings: OptionSettingInput[]
  optionsToRemove: OptionRef[]
}

export type Change = 'added' | 'changed' | 'unchanged' | 'removed' | 'not present'

export interface NamedChange {
  kind: 'variable' | 'secret' | 'option'
  /** A property name, or `<namespace> <option>` for an option setting. */
  name: string
  change: Change
  /** E.g. "was a secret": never a value. */
  note?: string
}

export interface ConfigurationPlan {
  changes: NamedChange[]
  /** What to send; undefined when nothing differs (then no OptionSettings are sent at all). */
  send?: ConfigurationRequest
  /** What puts the environment back as it was (the old values read in the look-up); undefined when send is. */
  restore?: ConfigurationRequest
  /** The environment properties' size after the change, as name=value bytes. */
  propertyBytes: number
  warnings: string[]
}

export interface EnvironmentFacts {
  region: string
  /** The environment's account (from its ARN), when known. */
  account?: string
}

const keyOf = (ref: OptionRef) => `${ref.resourceName ?? ''}|${ref.namespace}|${ref.optionName}`

/** Namespaces whose changes can replace instances or change the network or load balancer. */
const DISRUPTIVE: Array<{ test: (s: OptionRef) => boolean; effect: string }> = [
  {
    test: s => s.namespace === 'aws:autoscaling:launchconfiguration' || s.namespace === 'aws:ec2:instances',
    effect: 'changes the instances (type, image or profile): Beanstalk replaces them'
  },
  {
    test: s => s.namespace === 'aws:ec2:vpc',
    effect: 'changes the VPC or subnets: this may recreate resources'
  },
  {
    test: s =>
      /^aws:(elb|elbv2):/.test(s.namespace) ||
      (s.namespace === 'aws:elasticbeanstalk:environment' &&
        /^(EnvironmentType|LoadBalancerType|LoadBalancerIsShared)$/.test(s.optionName)),
    effect: 'changes the load balancer or the environment type'
  }
]

function propertyBytes(properties: Map<string, string>): number {
  let total = 0
  for (const [name, value] of properties) total += Buffer.byteLength(`${name}=${value}`, 'utf8')
  return total
}

function checkSecretArn(name: string, arn: string, env: EnvironmentFacts): void {
  const ref = parseSecretArn(arn)
  if (!ref) return // the form was checked with the inputs
  const input = 'environment-secrets'
  const what = ref.service === 'ssm' ? 'SSM parameter' : 'Secrets Manager secret'
  if (ref.region !== env.region) {
    throw new UserError(
      `Input '${input}': the ${what} for ${name} is in ${ref.region}, the environment in ${env.region}. Beanstalk's instances fetch it in the environment's region: use a ${what} in ${env.region} (copy or replicate it there).`,
      { input }
    )
  }
  if (env.account !== undefined && ref.account !== env.account) {
    throw new UserError(
      `Input '${input}': the ${what} for ${name} belongs to account ${ref.account}, the environment to ${env.account}. Use one in the environment's account, so that its instance profile can read it.`,
      { input }
    )
  }
}

/** Decides the change; throws a UserError (before anything changes) when a limit or an ARN is wrong. */
export function planConfiguration(
  inputs: ConfigurationInputs,
  current: OptionSettingInput[],
  env: EnvironmentFacts
): ConfigurationPlan {
  const now = new Map(current.map(s => [keyOf(s), s]))
  const inNamespace = (namespace: string) =>
    new Map(
      current.filter(s => s.namespace === namespace && !s.resourceName).map(s => [s.optionName, s.value])
    )
  const properties = inNamespace(ENVIRONMENT_NAMESPACE)
  const secrets = inNamespace(SECRETS_NAMESPACE)
  const changes: NamedChange[] = []
  const settings: OptionSettingInput[] = []
  const removals: OptionRef[] = []
  const warnings = [...inputs.warnings]

  const set = (namespace: string, optionName: string, value: string, resourceName?: string) =>
    settings.push({ namespace, optionName, value, resourceName })
  const remove = (namespace: string, optionName: string) => removals.push({ namespace, optionName })

  // Properties and secrets: one name, one namespace. A name that moves between them leaves the other.
  const assign = (
    kind: 'variable' | 'secret',
    values: Map<string, string>,
    own: Map<string, string>,
    other: Map<string, string>
  ) => {
    const [namespace, otherNamespace] =
      kind === 'variable'
        ? [ENVIRONMENT_NAMESPACE, SECRETS_NAMESPACE]
        : [SECRETS_NAMESPACE, ENVIRONMENT_NAMESPACE]
    for (const [name, value] of values) {
      if (kind === 'secret') checkSecretArn(name, value, env)
      const moved = other.has(name)
      if (moved) remove(otherNamespace, name)
      const before = own.get(name)
      if (before === value && !moved) {
        changes.push({ kind, name, change: 'unchanged' })
        continue
      }
      set(namespace, name, value)
      changes.push({
        kind,
        name,
        change: before === undefined && !moved ? 'added' : 'changed',
        note: moved ? (kind === 'variable' ? 'was a secret' : 'was a variable') : undefined
      })
    }
  }
  assign('variable', inputs.variables, properties, secrets)
  assign('secret', inputs.secrets, secrets, properties)

  for (const name of inputs.remove) {
    const inProperties = properties.has(name)
    const inSecrets = secrets.has(name)
    if (inProperties) remove(ENVIRONMENT_NAMESPACE, name)
    if (inSecrets) remove(SECRETS_NAMESPACE, name)
    changes.push({
      kind: inSecrets && !inProperties ? 'secret' : 'variable',
      name,
      change: inProperties || inSecrets ? 'removed' : 'not present'
    })
  }

  for (const option of inputs.options) {
    const name = `${option.resourceName ? `${option.resourceName}: ` : ''}${option.namespace} ${option.optionName}`
    const before = now.get(keyOf(option))
    if (before !== undefined && before.value === option.value) {
      changes.push({ kind: 'option', name, change: 'unchanged' })
      continue
    }
    settings.push(option)
    changes.push({ kind: 'option', name, change: before === undefined ? 'added' : 'changed' })
    const disruptive = DISRUPTIVE.find(d => d.test(option))
    if (disruptive) warnings.push(`option-settings: ${name} ${disruptive.effect}.`)
  }

  // The size limit, over the properties as they will be (existing plus new, minus removed).
  const after = new Map(properties)
  for (const r of removals) if (r.namespace === ENVIRONMENT_NAMESPACE) after.delete(r.optionName)
  for (const s of settings) if (s.namespace === ENVIRONMENT_NAMESPACE) after.set(s.optionName, s.value)
  const bytes = propertyBytes(after)
  if (bytes > MAX_PROPERTY_BYTES && (settings.length > 0 || removals.length > 0)) {
    const largest = [...after]
      .sort((a, b) => Buffer.byteLength(b[1]) - Buffer.byteLength(a[1]))
      .slice(0, 3)
      .map(([name]) => name)
    throw new UserError(
      `The environment properties would take ${bytes} bytes as name=value (the ${properties.size} there now and the new ones, less those removed): Beanstalk allows ${MAX_PROPERTY_BYTES} bytes in all. Nothing was changed. Remove some (remove-environment-variables) or move large values to environment-secrets (SSM Parameter Store or Secrets Manager); the largest are ${largest.join(', ')}.`,
      { input: 'environment-variables', title: 'Environment properties too large' }
    )
  }

  if (settings.length === 0 && removals.length === 0) return { changes, propertyBytes: bytes, warnings }
  // The undo: the old value where there was one, a removal where there was none.
  const restore: ConfigurationRequest = { optionSettings: [], optionsToRemove: [] }
  for (const s of settings) {
    const before = now.get(keyOf(s))
    if (before) restore.optionSettings.push({ ...before })
    else
      restore.optionsToRemove.push({
        namespace: s.namespace,
        optionName: s.optionName,
        resourceName: s.resourceName
      })
  }
  for (const r of removals) {
    const before = now.get(keyOf(r))
    if (before) restore.optionSettings.push({ ...before })
  }
  return {
    changes,
    send: { optionSettings: settings, optionsToRemove: removals },
    restore,
    propertyBytes: bytes,
    warnings
  }
}

const ORDER: Change[] = ['added', 'changed', 'removed', 'unchanged', 'not present']

/** Lines for the plan: names grouped by change, never a value. */
export function describeConfiguration(plan: ConfigurationPlan): string[] {
  const lines: string[] = []
  for (const change of ORDER) {
    const names = plan.changes
      .filter(c => c.change === change)
      .map(c => `${c.name}${c.kind === 'secret' ? ' (secret)' : ''}${c.note ? ` (${c.note})` : ''}`)
    if (names.length > 0) lines.push(`  ${change}: ${names.join(', ')}`)
  }
  const sent = plan.send
  lines.push(
    sent
      ? `  sent: ${sent.optionSettings.length} option setting(s), ${sent.optionsToRemove.length} removal(s); values are never shown`
      : '  nothing differs: no configuration is sent'
  )
  return lines
}

/** One line for the summary's table: counts per change. */
export function countChanges(plan: ConfigurationPlan): string {
  const counts = ORDER.map(change => [change, plan.changes.filter(c => c.change === change).length] as const)
    .filter(([, n]) => n > 0)
    .map(([change, n]) => `${n} ${change}`)
  return counts.length > 0 ? counts.join(', ') : 'nothing asked'
}

const escapeCell = (text: string) => text.replace(/\|/g, '\\|')

/** The job summary's configuration table: each name and its change, never a value. */
export function configurationTable(plan: ConfigurationPlan): string {
  const rows = plan.changes.map(
    c => `| ${escapeCell(c.name)} | ${c.kind} | ${c.change}${c.note ? ` (${c.note})` : ''} |`
  )
  return ['| Name | Kind | Change |', '|---|---|---|', ...rows].join('\n') + '\n'
}
