/**
 * Purpose and action names in the reader's language. Purpose labels are the bank's own, from its
 * catalogue (/api/v1/purposes, which administrators change under maker-checker); action names of the
 * record are Flowguard's. An id with no label is shown as it is.
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from './api';
import { pick, type Bilingual } from './format';
// A type only (erased from the bundle): the record's action list, shared with the server.
import type { AuditAction } from '../../src/audit/actions';

let catalogue: Promise<Map<string, Bilingual>> | null = null;

/** A function from purpose id to its label; ids until the catalogue has loaded. */
export function usePurposeLabel(): (id: string) => string {
  const { i18n } = useTranslation();
  const [labels, setLabels] = useState<Map<string, Bilingual> | null>(null);
  useEffect(() => {
    catalogue ??= get<Array<{ id: string; label: Bilingual }>>('/api/v1/purposes').then((list) => new Map(list.map((p) => [p.id, p.label])));
    catalogue.then(setLabels, () => { catalogue = null; });
  }, []);
  return useCallback((id: string) => {
    const label = labels?.get(id);
    return label ? pick(label, i18n.language) : id;
  }, [labels, i18n.language]);
}

/** Every action of the record has a label: a missing one fails the type check. */
const ACTIONS: Record<AuditAction, Bilingual> = {
  'statement.requested': { zh: '申请查询流水', en: 'Statement requested' },
  'statement.refused': { zh: '流水查询申请被拒', en: 'Statement request refused' },
  'statement.viewed': { zh: '查看流水', en: 'Statement viewed' },
  'statement.exported': { zh: '导出流水', en: 'Statement exported' },
  'statement.release_refused': { zh: '流水调阅被拒', en: 'Statement release refused' },
  'legal_warning.acknowledged': { zh: '确认法律风险警示', en: 'Legal warning acknowledged' },
  'approval.granted': { zh: '审批通过', en: 'Approval granted' },
  'approval.rejected': { zh: '审批驳回', en: 'Approval rejected' },
  'approval.refused': { zh: '审批被拒（无权审批）', en: 'Approval refused' },
  'break_glass.used': { zh: '紧急访问', en: 'Break-glass used' },
  'post_review.closed': { zh: '紧急访问事后审查完成', en: 'Break-glass review closed' },
  'customer.searched': { zh: '查询客户（脱敏）', en: 'Customer searched' },
  'customer.code_sent': { zh: '发送柜面验证码', en: 'Counter code sent' },
  'customer.code_refused': { zh: '拒绝发送柜面验证码', en: 'Counter code refused' },
  'customer.access_history_viewed': { zh: '查看客户的访问记录', en: "Customer's access history read" },
  'access_reports.listed': { zh: '查看客户不明访问报告', en: 'Access reports read' },
  'post_reviews.listed': { zh: '查看紧急访问审查列表', en: 'Break-glass reviews read' },
  'history.withheld': { zh: '暂不向客户显示', en: 'Withheld from customer' },
  'login.succeeded': { zh: '登录成功', en: 'Signed in' },
  'login.failed': { zh: '登录失败', en: 'Sign-in failed' },
  'logout': { zh: '退出登录', en: 'Signed out' },
  'login.released': { zh: '解除登录锁定', en: 'Sign-in released' },
  'config.change_proposed': { zh: '提出配置变更', en: 'Change proposed' },
  'config.change_applied': { zh: '配置变更生效', en: 'Change applied' },
  'config.change_rejected': { zh: '配置变更驳回', en: 'Change rejected' },
  'config.change_refused': { zh: '配置变更被拒', en: 'Change refused' },
  'training.recorded': { zh: '登记培训与承诺', en: 'Training recorded' },
  'employee.revealed': { zh: '揭示员工身份', en: 'Employee revealed' },
  'flags.listed': { zh: '查看静默标记', en: 'Silent flags read' },
  'portal.code_sent': { zh: '发送客户登录验证码', en: 'Portal sign-in code sent' },
  'portal.code_refused': { zh: '客户登录验证码发送被拒（按时段汇总）', en: 'Portal code sends refused (tally)' },
  'portal.login': { zh: '客户登录', en: 'Customer signed in' },
  'portal.history_viewed': { zh: '客户查看访问记录', en: 'Access history read by customer' },
  'portal.access_notifications_changed': { zh: '客户更改访问通知', en: 'Access notifications changed by customer' },
  // entries written before issue 10 carry the old name
  'portal.alerts_changed': { zh: '客户更改访问通知', en: 'Access notifications changed by customer' },
  'portal.statement_viewed': { zh: '客户查看本人流水', en: 'Own statement read by customer' },
  'portal.access_reported': { zh: '客户报告不明访问', en: 'Access reported by customer' },
  'portal.accounts_viewed': { zh: '客户查看本人账户', en: 'Own accounts read by customer' },
  'request.refused': { zh: '请求被拒', en: 'Request refused' },
  'request.rate_limited': { zh: '请求过于频繁被拒（按时段汇总）', en: 'Requests rate-limited (tally)' },
  'log.entry_read': { zh: '读取日志条目', en: 'Log entry read' },
  'log.entry_refused': { zh: '日志条目读取被拒（按时段汇总）', en: 'Log entry reads refused (tally)' },
  'log.entries_shredded': { zh: '日志条目内容销毁（保存期满）', en: 'Log entries shredded' },
  'audit_record.searched': { zh: '检索审计记录', en: 'Audit record searched' },
  'audit_record.entry_read': { zh: '查看审计记录条目', en: 'Audit entry read' },
};

/** Every action the record filter offers, in its order. */
export const ACTION_IDS = Object.keys(ACTIONS);

function isAction(action: string): action is AuditAction {
  return Object.hasOwn(ACTIONS, action);
}

export function actionLabel(action: string, lang: string): string {
  const label = isAction(action) ? ACTIONS[action] : undefined;
  return label ? pick(label, lang) : action;
}
