/**
 * When a platform branch retires. The Elastic Beanstalk API says whether a branch is deprecated or retired
 * (PlatformBranchLifecycleState, ListPlatformBranches' LifecycleState) but carries no date: AWS publishes the dates
 * in its platform schedule ("Retiring platform branch schedule" and "Retired platform branch history", AWS Elastic
 * Beanstalk Platforms guide, linked from the support policy page below). What that schedule says of the operating
 * systems our Docker branches run on is kept here, with its source; a branch it does not cover gets the link
 * instead of a date. Pure.
 */

export const SCHEDULE_URL =
  'https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/platforms-support-policy.html'

export interface Retirement {
  /** YYYY-MM-DD */
  date: string
  /** why, in a few words, as AWS gives it */
  why: string
}

/**
 * By the operating system at the end of the branch name ("… running on 64bit Amazon Linux 2"):
 * - Amazon Linux AMI (AL1): every platform branch based on it retired on July 18, 2022 ("Platform retirement FAQ").
 * - Amazon Linux 2: every platform branch based on it retires no later than June 30, 2026, Amazon Linux 2's end of
 *   support ("Retiring platform branch schedule").
 */
const BY_OPERATING_SYSTEM: Array<{ suffix: RegExp; retirement: Retirement }> = [
  {
    suffix: / running on 64bit Amazon Linux$/i,
    retirement: { date: '2022-07-18', why: 'every Amazon Linux AMI (AL1) platform branch retired then' }
  },
  {
    suffix: / running on 64bit Amazon Linux 2$/i,
    retirement: {
      date: '2026-06-30',
      why: 'Amazon Linux 2 reaches its end of support; every Amazon Linux 2 platform branch retires by then'
    }
  }
]

/** The published retirement of a branch, when AWS's schedule gives one. */
export function retirementOf(branch: string | undefined): Retirement | undefined {
  if (!branch) return undefined
  return BY_OPERATING_SYSTEM.find(entry => entry.suffix.test(branch))?.retirement
}
