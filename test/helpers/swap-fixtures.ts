/** A blue/green pair in the sandbox, for the swap-environments tests: blue live with v1, green idle with v2. */
import type { EnvSpec, SandboxScenario } from '../../sandbox/index.js'

export const APP = 'BrillianCRM'
export const BLUE = 'BrillianCRM-blue'
export const GREEN = 'BrillianCRM-green'
export const LIVE_HOST = 'brilliancrm.eu-central-1.elasticbeanstalk.com'
export const IDLE_HOST = 'brilliancrm-green.eu-central-1.elasticbeanstalk.com'

export function pairScenario(
  more: Partial<SandboxScenario> & { blue?: Partial<EnvSpec>; green?: Partial<EnvSpec> } = {}
): SandboxScenario {
  const { blue, green, ...rest } = more
  return {
    name: 'pair',
    applications: [
      {
        name: APP,
        versions: [{ label: 'v1' }, { label: 'v2' }, { label: 'v3' }],
        environments: [
          { name: BLUE, versionLabel: 'v1', cname: LIVE_HOST, ...blue },
          { name: GREEN, versionLabel: 'v2', cname: IDLE_HOST, ...green }
        ]
      }
    ],
    ...rest
  }
}
