import type { EnvironmentDescription } from '@aws-sdk/client-elastic-beanstalk'
import type { ConfigurationRequest } from '../configuration/diff.js'

/** An environment and an application version, in our own small types (what the gateway answers). */
export interface EnvironmentInfo {
  name: string
  id: string
  application: string
  status: string
  health: string
  versionLabel?: string
  solutionStack?: string
  platformArn?: string
  cname?: string
  endpointUrl?: string
  /** arn:aws:elasticbeanstalk:<region>:<account>:environment/<application>/<name> */
  arn?: string
}

export interface VersionInfo {
  label: string
  status: string
  description?: string
  bucket?: string
  key?: string
  /** Set by listVersions. */
  application?: string
  created?: Date
}

export function toEnvironmentInfo(env: EnvironmentDescription): EnvironmentInfo {
  return {
    name: env.EnvironmentName ?? '',
    id: env.EnvironmentId ?? '',
    application: env.ApplicationName ?? '',
    status: env.Status ?? 'Unknown',
    health: env.Health ?? 'Grey',
    versionLabel: env.VersionLabel || undefined,
    solutionStack: env.SolutionStackName,
    platformArn: env.PlatformArn,
    cname: env.CNAME,
    endpointUrl: env.EndpointURL,
    arn: env.EnvironmentArn
  }
}

/**
 * What one UpdateEnvironment sends: a version, configuration changes, a platform version, or some of them. A deploy sends the plan's, a
 * rollback what restores the environment as it was (update/).
 */
export interface UpdateRequest {
  /** The version to deploy; undefined keeps the one running (a configuration-only update). */
  label?: string
  configuration?: ConfigurationRequest
  /** The platform version to move to (PlatformArn; ../platform/), when the update changes the platform. */
  platformArn?: string
}

/** Every page of a paginated Describe call, one request per page. */
export async function allPages<T>(
  page: (token?: string) => Promise<{ items: T[]; next?: string }>
): Promise<T[]> {
  const found: T[] = []
  let token: string | undefined
  do {
    const { items, next } = await page(token)
    found.push(...items)
    token = next
  } while (token)
  return found
}
