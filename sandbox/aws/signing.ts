/** SigV4 details the sandbox reads from the credential scope: …/<date>/<region>/<service>/aws4_request. */
const SCOPE = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/

export function regionFromAuthorization(header: string | undefined): string | undefined {
  return SCOPE.exec(header ?? '')?.[1]
}

export function serviceFromAuthorization(header: string | undefined): string | undefined {
  return SCOPE.exec(header ?? '')?.[2]
}
