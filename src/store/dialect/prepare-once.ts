/**
 * A statement that runs on every request can start with PREPARE_ONCE, a SQL comment: PostgreSQL
 * then parses and plans it once per connection, as a named prepared statement, instead of on every
 * call (postgres.ts). SQLite reads it as the comment it is. Use it only for fixed statement texts:
 * each one stays prepared on every pooled connection for the connection's life.
 *
 * @example
 * sql`${sql.raw(PREPARE_ONCE)} select … where employee_id = ${employeeId}`.execute(tx)
 */
export const PREPARE_ONCE = '/* flowguard: prepare once */';
