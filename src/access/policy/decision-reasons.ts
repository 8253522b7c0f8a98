/**
 * Words for a decision, taken from the deciding policies' annotations: a neutral text for the
 * requester (@requester_*) and the real reasons, each tagged with its policy ID, for approvers
 * and analysts (@reason_*).
 */
import type { Bilingual, PolicyInfo } from './decision.ts';

export interface Reasons {
  requesterReason: Bilingual;
  fullReason: Bilingual;
}

/** Cedar's default deny: no need-to-know permit matched, so no policy can be named. */
export const NO_NEED_TO_KNOW: Reasons = {
  requesterReason: {
    zh: '您与该客户没有业务关联，或该用途不适用于您的岗位',
    en: 'no business need for this customer under this purpose and your role',
  },
  fullReason: {
    zh: '没有匹配的业务依据（need-to-know）策略：默认拒绝',
    en: 'no need-to-know permit matched: denied by default',
  },
};

/** Fail closed when a deciding policy could not be evaluated: Cedar would otherwise skip it. */
export function evaluationFailed(messages: string[]): Reasons {
  return {
    requesterReason: {
      zh: '暂时无法完成授权判断，请联系系统管理员',
      en: 'the access decision could not be made; contact your administrator',
    },
    fullReason: {
      zh: `策略执行出错，按拒绝处理：${messages.join('；')}`,
      en: `policy evaluation failed, refused: ${messages.join('; ')}`,
    },
  };
}

/** Reasons from the deciding policies, in the order given; identical requester texts appear once. */
export function reasonsFrom(policies: readonly PolicyInfo[], approved: boolean): Reasons {
  const requesterZh = unique(policies.map((p) => p.requester?.zh ?? p.reason.zh));
  const requesterEn = unique(policies.map((p) => p.requester?.en ?? p.reason.en));
  const suffix = approved ? { zh: '（已经第二人审批）', en: ' (approved by a second person)' } : { zh: '', en: '' };
  return {
    requesterReason: { zh: requesterZh.join('；') + suffix.zh, en: requesterEn.join('; ') + suffix.en },
    fullReason: {
      zh: policies.map((p) => `${p.id}：${p.reason.zh}`).join('；') + suffix.zh,
      en: policies.map((p) => `${p.id}: ${p.reason.en}`).join('; ') + suffix.en,
    },
  };
}

function unique(texts: string[]): string[] {
  return [...new Set(texts)];
}
