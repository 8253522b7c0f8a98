import type { Kysely } from 'kysely';
import type { EngineMigration } from './index.ts';

/** The demo bank's core-banking tables (in a gateway deployment a source adapter stands in for them). */
export const bankTables: EngineMigration = (t) => ({
  async up(db: Kysely<any>) {
    await db.schema.createTable('branches')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('code', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('city', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createTable('employees')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('username', 'text', (c) => c.notNull().unique())
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('pseudonym', 'text', (c) => c.notNull().unique())
      .addColumn('branch_id', 'text', (c) => c.notNull().references('branches.id'))
      .addColumn('bank_role', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createTable('employee_roles')
      .addColumn('employee_id', 'text', (c) => c.notNull().references('employees.id'))
      .addColumn('role', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('employee_roles_pk', ['employee_id', 'role'])
      .execute();
    await db.schema.createTable('customers')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('id_number', 'text', (c) => c.notNull().unique())
      .addColumn('mobile', 'text', (c) => c.notNull())
      .addColumn('address', 'text', (c) => c.notNull())
      .addColumn('branch_id', 'text', (c) => c.notNull().references('branches.id'))
      .addColumn('segment', 'text', (c) => c.notNull())
      .addColumn('relationship_manager_id', 'text', (c) => c.references('employees.id'))
      .addColumn('is_public_figure', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('is_honeytoken', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('employee_id', 'text', (c) => c.references('employees.id'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('customers_mobile').on('customers').column('mobile').execute();
    await db.schema.createIndex('customers_branch').on('customers').column('branch_id').execute();
    await db.schema.createTable('customer_relations')
      .addColumn('employee_id', 'text', (c) => c.notNull().references('employees.id'))
      .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
      .addColumn('relation', 'text', (c) => c.notNull())
      .addColumn('declared_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('customer_relations_pk', ['employee_id', 'customer_id'])
      .execute();
    await db.schema.createTable('accounts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
      .addColumn('card_number', 'text', (c) => c.notNull().unique())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('branch_id', 'text', (c) => c.notNull().references('branches.id'))
      .addColumn('opened_on', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('accounts_customer').on('accounts').column('customer_id').execute();
    await db.schema.createTable('transactions')
      .addColumn('id', t.serial, (c) => (t.name === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('posted_at', 'text', (c) => c.notNull())
      .addColumn('amount_cents', t.bigint, (c) => c.notNull())
      .addColumn('balance_cents', t.bigint, (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('counterparty_name', 'text')
      .addColumn('counterparty_account', 'text')
      .addColumn('category', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('transactions_account_time').on('transactions').columns(['account_id', 'posted_at']).execute();
    await db.schema.createTable('service_tickets')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
      .addColumn('assigned_employee_id', 'text', (c) => c.references('employees.id'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('document_number', 'text')
      .addColumn('opened_at', 'text', (c) => c.notNull())
      .addColumn('closed_at', 'text')
      .execute();
    await db.schema.createIndex('service_tickets_customer').on('service_tickets').column('customer_id').execute();
  },
});
