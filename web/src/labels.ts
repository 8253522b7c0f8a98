/**
 * Purpose and action names in the reader's language. Purpose labels are the bank's own, from its
 * catalogue (/api/v1/purposes, which administrators change under maker-checker); action names of the
 * record are Flowguard's. An id with no label is shown as it is.
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from './api';
import { pick, type Bilingual } from './format';

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

const ACTIONS: Record<string, Bilingual> = {
  'statement.requested': { zh: '申请查询流水', en: 'Statement requested' },
  'statement.viewed': { zh: '查看流水', en: 'Statement viewed' },
  'statement.exported': { zh: '导出流水', en: 'Statement exported' },
  'statement.refused': { zh: '拒绝查询', en: 'Request refused' },
  'customer.code_refused': { zh: '拒绝发送柜面验证码', en: 'Counter code refused' },
  'legal_warning.acknowledged': { zh: '确认法律风险警示', en: 'Legal warning acknowledged' },
  'approval.granted': { zh: '审批通过', en: 'Approval granted' },
  'approval.rejected': { zh: '审批驳回', en: 'Approval rejected' },
  'approval.refused': { zh: '审批被拒（无权审批）', en: 'Approval refused' },
  'break_glass.used': { zh: '紧急访问', en: 'Break-glass used' },
  'post_review.closed': { zh: '紧急访问事后审查完成', en: 'Break-glass review closed' },
  'flags.listed': { zh: '查看静默标记', en: 'Silent flags read' },
  'login.succeeded': { zh: '登录成功', en: 'Signed in' },
  'login.failed': { zh: '登录失败', en: 'Sign-in failed' },
  'login.released': { zh: '解除登录锁定', en: 'Sign-in released' },
  'employee.revealed': { zh: '揭示员工身份', en: 'Employee revealed' },
  'config.change_proposed': { zh: '提出配置变更', en: 'Change proposed' },
  'config.change_applied': { zh: '配置变更生效', en: 'Change applied' },
  'portal.login': { zh: '客户登录', en: 'Customer signed in' },
  'portal.access_reported': { zh: '客户报告不明访问', en: 'Access reported by customer' },
  'portal.access_notifications_changed': { zh: '客户更改访问通知', en: 'Access notifications changed by customer' },
  // entries written before issue 10 carry the old name
  'portal.alerts_changed': { zh: '客户更改访问通知', en: 'Access notifications changed by customer' },
  'history.withheld': { zh: '暂不向客户显示', en: 'Withheld from customer' },
  'log.entry_read': { zh: '读取日志条目', en: 'Log entry read' },
  'log.entry_refused': { zh: '日志条目读取被拒（按时段汇总）', en: 'Log entry reads refused (tally)' },
  'request.rate_limited': { zh: '请求过于频繁被拒（按时段汇总）', en: 'Requests rate-limited (tally)' },
};

/** Every action the record filter offers, in its order. */
export const ACTION_IDS = Object.keys(ACTIONS);

export function actionLabel(action: string, lang: string): string {
  const label = ACTIONS[action];
  return label ? pick(label, lang) : action;
}
