/** Raised when the test kit cannot provide a broker. The message always says what to do. */
export class TestkitError extends Error {
  override readonly name = 'TestkitError';
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
