import { parse as parseYaml } from 'yaml'
import { UserError } from '../../common/errors.js'
import { ENVIRONMENT_NAMESPACE, SECRETS_NAMESPACE, type OptionSettingInput } from './inputs.js'

/** The `option-settings` input: Beanstalk option settings as a YAML or JSON list, checked without AWS. Pure. */

function stringValue(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return undefined
}

/** Our keys, and AWS's own (as in `aws elasticbeanstalk describe-configuration-settings` output). */
const KEYS = {
  namespace: ['namespace', 'Namespace'],
  optionName: ['option-name', 'OptionName', 'option_name'],
  value: ['value', 'Value'],
  resourceName: ['resource-name', 'ResourceName', 'resource_name']
} as const

/** `option-settings`: a YAML or JSON list of {namespace, option-name, value, resource-name?}. */
export function parseOptionSettings(text: string): OptionSettingInput[] {
  const input = 'option-settings'
  if (text.trim() === '') return []
  const example =
    'a YAML or JSON list such as\n- namespace: aws:elasticbeanstalk:command\n  option-name: DeploymentPolicy\n  value: Rolling'
  let parsed: unknown
  try {
    parsed = parseYaml(text)
  } catch (error) {
    const line = (error as { linePos?: Array<{ line: number }> }).linePos?.[0]?.line
    throw new UserError(
      `Input '${input}' is not valid YAML or JSON${line ? ` (line ${line})` : ''}: expected ${example}`,
      { input }
    )
  }
  if (!Array.isArray(parsed)) throw new UserError(`Input '${input}': expected ${example}`, { input })
  const seen = new Set<string>()
  return parsed.map((item, index) => {
    const where = `item ${index + 1}`
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw new UserError(
        `Input '${input}', ${where}: expected a mapping with namespace, option-name and value.`,
        {
          input
        }
      )
    }
    const record = item as Record<string, unknown>
    const known = new Set<string>(Object.values(KEYS).flat())
    const unknown = Object.keys(record).filter(key => !known.has(key))
    if (unknown.length > 0) {
      throw new UserError(
        `Input '${input}', ${where}: unknown key ${unknown.map(k => JSON.stringify(k)).join(', ')}; expected namespace, option-name, value and optionally resource-name.`,
        { input }
      )
    }
    const pick = (keys: readonly string[]) => keys.map(k => record[k]).find(v => v !== undefined)
    const namespace = stringValue(pick(KEYS.namespace))?.trim() ?? ''
    const optionName = stringValue(pick(KEYS.optionName))?.trim() ?? ''
    const rawValue = pick(KEYS.value)
    const value = stringValue(rawValue ?? '')
    const resourceName = stringValue(pick(KEYS.resourceName))?.trim() || undefined
    if (namespace === '' || optionName === '') {
      throw new UserError(`Input '${input}', ${where}: namespace and option-name are required.`, { input })
    }
    if (!/^aws:[a-z0-9:.-]+$/i.test(namespace)) {
      throw new UserError(
        `Input '${input}', ${where}: namespace ${JSON.stringify(namespace)} is not a Beanstalk namespace (they look like aws:elasticbeanstalk:command).`,
        { input }
      )
    }
    if (value === undefined) {
      throw new UserError(
        `Input '${input}', ${where} (${namespace} ${optionName}): value must be text, a number or true/false.`,
        {
          input
        }
      )
    }
    if (namespace === ENVIRONMENT_NAMESPACE || namespace === SECRETS_NAMESPACE) {
      const instead = namespace === ENVIRONMENT_NAMESPACE ? 'environment-variables' : 'environment-secrets'
      throw new UserError(
        `Input '${input}', ${where}: set ${namespace} options with the ${instead} input (values masked, names diffed), not option-settings.`,
        { input }
      )
    }
    const key = `${resourceName ?? ''}|${namespace}|${optionName}`
    if (seen.has(key)) {
      throw new UserError(
        `Input '${input}', ${where}: ${namespace} ${optionName} is given twice; keep one.`,
        { input }
      )
    }
    seen.add(key)
    return { namespace, optionName, value, resourceName }
  })
}
