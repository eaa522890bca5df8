import { UserError, inputError } from '../../common/errors.js'
import { parseLiveCname, parsePair, type EnvironmentPair, type LiveCname } from '../../common/pair.js'

/**
 * `strategy` and `live-cname`: with `blue-green`, `environment-name` names a pair (common/pair.ts) and `live-cname`
 * says which of it serves production. Pure.
 */

export type Strategy = 'in-place' | 'blue-green'

export interface BlueGreenInputs {
  pair: EnvironmentPair
  liveCname: LiveCname
}

export function parseStrategy(value: string): Strategy {
  const text = value.trim().toLowerCase()
  if (text === '' || text === 'in-place') return 'in-place'
  if (text === 'blue-green') return 'blue-green'
  throw inputError(
    'strategy',
    value,
    'expected in-place (the default: deploy to the environment named) or blue-green (deploy to the idle one of a pair, see docs/blue-green.md).'
  )
}

/**
 * The blue/green inputs, or undefined for an in-place deploy. `live-cname` without blue-green is refused: it would
 * otherwise deploy in place to what is probably the live environment, the very thing blue/green avoids.
 */
export function parseBlueGreen(
  raw: { strategy: string; 'live-cname': string; 'environment-name': string; 'from-environment': string },
  region: string
): BlueGreenInputs | undefined {
  const strategy = parseStrategy(raw.strategy)
  if (strategy === 'in-place') {
    if (raw['live-cname'].trim() !== '') {
      throw new UserError(
        `Input 'live-cname' ("${raw['live-cname']}") is set but 'strategy' is ${raw.strategy.trim() === '' ? 'not set (in-place)' : 'in-place'}: live-cname only means something with strategy: blue-green. Set strategy: blue-green to deploy to the idle one of a pair, or remove live-cname to deploy in place.`,
        { input: 'live-cname' }
      )
    }
    return undefined
  }
  const pair = parsePair(raw['environment-name'])
  const liveCname = parseLiveCname(raw['live-cname'], region)
  const from = raw['from-environment'].trim()
  if (pair.names.some(name => name.toLowerCase() === from.toLowerCase())) {
    throw inputError(
      'from-environment',
      from,
      `it is one of the pair in 'environment-name': promote from another environment (such as a staging one); the idle one of the pair is deployed to.`
    )
  }
  return { pair, liveCname }
}
