/** What the migrations and the store need to know about an engine; nothing else may branch on it. */
export interface EngineTypes {
  readonly name: 'sqlite' | 'postgres';
  /** Column type of an auto-incrementing 64-bit key. */
  readonly serial: 'integer' | 'bigserial';
  /** Column type of raw bytes. */
  readonly bytes: 'blob' | 'bytea';
  /** Column type of integer cents and counters that may pass 2^31. */
  readonly bigint: 'integer' | 'bigint';
}
