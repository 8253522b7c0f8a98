/**
 * Access notifications: a customer who turned them on gets a text message for every release of their
 * statement — except accesses withheld by rule (AML work, 协助查询), which must not tip anyone off.
 * (Called "access alerts" before issue 10: "alert" now belongs to detection.)
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { SmsGateway } from '../notify/sms.ts';
import type { PurposeLookup } from '../core/purposes.ts';
import { isWithheld } from './history.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** Turns the customer's access notifications on or off (call it in the transaction that records it). */
export async function setAccessNotifications(db: Db, customerId: string, enabled: boolean, now: Date): Promise<void> {
  const values = { customer_id: customerId, enabled: enabled ? (1 as const) : (0 as const), updated_at: now.toISOString() };
  await db.insertInto('customer_access_notifications').values(values).onConflict((oc) => oc.column('customer_id').doUpdateSet({ enabled: values.enabled, updated_at: values.updated_at })).execute();
}

export async function accessNotificationsEnabled(db: Db, customerId: string): Promise<boolean> {
  const row = await db.selectFrom('customer_access_notifications').select('enabled').where('customer_id', '=', customerId).executeTakeFirst();
  return row?.enabled === 1;
}

export interface AccessNotice { customerId: string; purposeId: string; output: string; branchId: string; time: Date }

/** Whether this access would text the customer (notifications on, and the purpose not withheld). */
export async function notificationDue(db: Db, purposes: PurposeLookup, notice: Pick<AccessNotice, 'customerId' | 'purposeId' | 'time'>): Promise<boolean> {
  return !isWithheld(purposes, notice.purposeId, notice.time.toISOString(), notice.time) && (await accessNotificationsEnabled(db, notice.customerId));
}

/** Sends the notification inside the release's transaction, so one exists exactly when the release does. */
export async function notifyAccess(tx: Transaction<Database>, sms: SmsGateway, purposes: PurposeLookup, notice: AccessNotice): Promise<boolean> {
  if (!(await notificationDue(tx, purposes, notice))) return false;
  const customer = await tx.selectFrom('customers').select('mobile').where('id', '=', notice.customerId).executeTakeFirst();
  if (!customer) return false;
  const label = purposes.get(notice.purposeId)?.label.zh ?? notice.purposeId;
  const when = notice.time.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
  await sms.send(tx, { to: customer.mobile, body: `【流水卫士】您的账户流水于${when}被${notice.branchId}网点工作人员查阅（用途：${label}）。如非您本人办理或授权，请登录流水卫士客户门户报告。` }, notice.time);
  return true;
}
