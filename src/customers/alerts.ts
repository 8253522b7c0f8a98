/**
 * The old name of access-notifications.ts, kept only while the statement gate (being reshaped into
 * the release pipeline in the same issue) still imports it from here. Import access-notifications.ts.
 */
export { notificationDue as alertDue, notifyAccess } from './access-notifications.ts';
