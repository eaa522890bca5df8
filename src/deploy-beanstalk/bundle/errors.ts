/** A problem the user must fix in the bundle's inputs; the caller maps it to a UserError for `input`. */
export class BundleError extends Error {
  override readonly name = 'BundleError'
  constructor(
    message: string,
    readonly input?: string
  ) {
    super(message)
  }
}
