/**
 * The customer portal, made for a phone: sign in with mobile number and one-time code, see who
 * accessed my statement (when, which branch and role, why, what output), report an access I do not
 * recognise, turn on access notifications, and read how statements leak and how to protect myself.
 */
import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Collapse, Empty, Form, Input, Modal, Result, Select, Space, Spin, Switch, Tabs, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, ApiError, get, maySignedIn, post, put, setCsrfToken } from '../api';
import { errorText, Loaded, useLoad } from '../common';
import { isoDay, localTime, pick, yuan, type Bilingual } from '../format';
import { setLanguage } from '../i18n';

interface HistoryItem { seq: number; time: string; kind: 'request' | 'view' | 'export'; employee: { pseudonym: string | null; branchId: string | null; role: string | null }; purpose: string; purposeLabel: Bilingual | null; decision: string | null; output: string | null }

const ROLE: Record<string, Bilingual> = {
  teller: { zh: '柜员', en: 'Teller' },
  relationship_manager: { zh: '客户经理', en: 'Relationship manager' },
  back_office: { zh: '后台人员', en: 'Back office' },
  branch_manager: { zh: '网点负责人', en: 'Branch manager' },
};
const DECISION: Record<string, Bilingual> = { allow: { zh: '已放行', en: 'allowed' }, deny: { zh: '已拒绝', en: 'refused' }, needs_approval: { zh: '需审批', en: 'sent for approval' } };
const OUTPUT: Record<string, Bilingual> = { view: { zh: '屏幕查看', en: 'Viewed on screen' }, csv: { zh: '导出CSV', en: 'CSV export' }, pdf: { zh: '导出PDF', en: 'PDF export' }, print: { zh: '打印', en: 'Printed' } };

function Header({ onLogout }: { onLogout?: () => void }) {
  const { t, i18n } = useTranslation();
  return (
    <div className="fg-portal-header">
      <h1>{t('portalTitle')}</h1>
      <Space size={4}>
        <Button size="small" type="text" className="fg-portal-btn" onClick={() => setLanguage(i18n.language.startsWith('en') ? 'zh-CN' : 'en')}>{t('language')}</Button>
        {onLogout && <Button size="small" type="text" className="fg-portal-btn" onClick={onLogout}>{t('logout')}</Button>}
      </Space>
    </div>
  );
}

function Login({ onIn }: { onIn: () => void }) {
  const { t } = useTranslation();
  const [mobile, setMobile] = useState('');
  const [code, setCode] = useState('');
  const [sent, setSent] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const mobileOk = /^1[3-9]\d{9}$/.test(mobile);
  const send = async () => {
    setBusy(true); setError(null);
    try { await api('POST', '/api/v1/portal/codes', { mobile }); setSent(true); } catch (e) { setError(errorText(e, t)); } finally { setBusy(false); }
  };
  const signIn = async () => {
    setBusy(true); setError(null);
    try {
      const r = await api<{ csrfToken: string }>('POST', '/api/v1/portal/sessions', { mobile, code });
      setCsrfToken(r.csrfToken);
      onIn();
    } catch (e) { setError(errorText(e, t)); } finally { setBusy(false); }
  };
  return (
    <div className="fg-portal-body">
      <Card title={t('portalLogin')}>
        <Form layout="vertical" onFinish={() => void (sent ? signIn() : send())}>
          <Form.Item label={t('mobile')} validateStatus={mobile && !mobileOk ? 'error' : undefined} help={mobile && !mobileOk ? t('mobileInvalid') : undefined}>
            <Input size="large" inputMode="numeric" autoComplete="tel" maxLength={11} value={mobile} onChange={(e) => setMobile(e.target.value.replace(/\D/g, ''))} data-testid="portal-mobile" />
          </Form.Item>
          {sent && (
            <>
              <Alert type="info" showIcon title={t('codeSent')} style={{ marginBottom: 16 }} />
              <Form.Item label={t('smsCode')}>
                <Input size="large" inputMode="numeric" autoComplete="one-time-code" maxLength={6} value={code} onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))} data-testid="portal-code" />
              </Form.Item>
            </>
          )}
          {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
          {sent
            ? <Space orientation="vertical" style={{ width: '100%' }}><Button type="primary" size="large" block htmlType="submit" loading={busy} disabled={code.length !== 6} data-testid="portal-signin">{t('login')}</Button><Button type="link" block onClick={() => void send()} disabled={busy}>{t('getCode')}</Button></Space>
            : <Button type="primary" size="large" block htmlType="submit" loading={busy} disabled={!mobileOk} data-testid="portal-get-code">{t('getCode')}</Button>}
        </Form>
      </Card>
      <Advice />
    </div>
  );
}

function History() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const state = useLoad(() => get<HistoryItem[]>('/api/v1/portal/history'));
  const [reporting, setReporting] = useState<HistoryItem | null>(null);
  const [comment, setComment] = useState('');
  const [reported, setReported] = useState<Set<number>>(new Set());
  const submit = async () => {
    if (!reporting) return;
    try {
      const r = await post<{ message: Bilingual }>(`/api/v1/portal/history/${reporting.seq}/report`, { comment });
      setReported((s) => new Set(s).add(reporting.seq));
      void message.success(pick(r.message, i18n.language));
      setReporting(null);
      setComment('');
    } catch (e) {
      void message.error(errorText(e, t));
    }
  };
  return (
    <>
      <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>{t('historyHelp')}</Typography.Paragraph>
      <Loaded state={state}>
        {(items) => items.length === 0 ? <Empty description={t('noHistory')} /> : (
          <div data-testid="portal-history">
            {items.map((i) => (
              <div key={i.seq} className="fg-history-item" data-testid={`history-${i.seq}`} data-purpose={i.purpose}>
                <div className="fg-history-main">
                  <Space wrap size={4}><strong>{pick(i.purposeLabel ?? { zh: i.purpose, en: i.purpose }, i18n.language)}</strong><Tag>{t(`k_${i.kind}`)}</Tag></Space>
                  <div className="fg-history-meta">
                    <div>{localTime(i.time)}</div>
                    <div>{i.employee.branchId} · {pick(ROLE[i.employee.role ?? ''] ?? { zh: i.employee.role ?? '', en: i.employee.role ?? '' }, i18n.language)} · {i.employee.pseudonym}</div>
                    {i.output && <div>{pick(OUTPUT[i.output] ?? { zh: i.output, en: i.output }, i18n.language)}{i.decision && i.kind === 'request' ? ` · ${pick(DECISION[i.decision] ?? { zh: i.decision, en: i.decision }, i18n.language)}` : ''}</div>}
                  </div>
                </div>
                {reported.has(i.seq)
                  ? <Tag color="orange">{t('reported')}</Tag>
                  : <Button size="small" danger onClick={() => setReporting(i)} data-testid={`report-${i.seq}`}>{t('report')}</Button>}
              </div>
            ))}
          </div>
        )}
      </Loaded>
      <Modal open={reporting !== null} title={t('reportTitle')} onCancel={() => setReporting(null)} onOk={() => void submit()} okText={t('report')} okButtonProps={{ danger: true, ...({ 'data-testid': 'report-confirm' } as object) }}>
        {reporting && <Typography.Paragraph>{localTime(reporting.time)} · {reporting.employee.branchId} · {reporting.employee.pseudonym}</Typography.Paragraph>}
        <Input.TextArea rows={3} value={comment} onChange={(e) => setComment(e.target.value)} placeholder={t('reportComment')} aria-label={t('reportComment')} maxLength={2000} />
      </Modal>
    </>
  );
}

interface Account { id: string; cardNumber: string; kind: string; currency: string }
interface Row { postedAt: string; amountCents: number; balanceCents: number; description: string; channel: string; counterpartyName: string | null }

/** My own statement: one account, the last three months, masked; the server records each view. */
function MyStatement() {
  const { t } = useTranslation();
  const accounts = useLoad(() => get<Account[]>('/api/v1/portal/accounts'));
  const [accountId, setAccountId] = useState<string | null>(null);
  return (
    <Loaded state={accounts}>
      {(list) => list.length === 0 ? <Empty /> : (
        <>
          <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>{t('myPeriodHelp')}</Typography.Paragraph>
          <Select style={{ width: '100%', marginBottom: 12 }} aria-label={t('myAccount')} value={accountId ?? list[0]!.id} onChange={setAccountId}
            options={list.map((a) => ({ value: a.id, label: `${a.cardNumber} · ${a.kind}` }))} data-testid="portal-account" />
          <StatementRows key={accountId ?? list[0]!.id} accountId={accountId ?? list[0]!.id} />
        </>
      )}
    </Loaded>
  );
}

function StatementRows({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const to = new Date(Date.now() - 86_400_000);
  const from = new Date(to.getTime() - 90 * 86_400_000);
  const state = useLoad(() => get<{ accounts: Array<{ rows: Row[] }> }>(`/api/v1/portal/statement?accountId=${encodeURIComponent(accountId)}&from=${isoDay(from)}&to=${isoDay(to)}`));
  return (
    <Loaded state={state}>
      {(view) => {
        const rows = [...(view.accounts[0]?.rows ?? [])].reverse();
        return rows.length === 0 ? <Empty description={t('noRows')} /> : (
          <div data-testid="portal-statement">
            {rows.map((r, i) => (
              <div key={i} className="fg-history-item">
                <div className="fg-history-main">
                  <strong>{r.description}</strong>
                  <div className="fg-history-meta"><div>{localTime(r.postedAt)} · {r.channel}{r.counterpartyName ? ` · ${r.counterpartyName}` : ''}</div></div>
                </div>
                <div style={{ textAlign: 'right' }}>
                  <div style={{ color: r.amountCents < 0 ? '#cf1322' : '#389e0d' }}>{yuan(r.amountCents)}</div>
                  <div className="fg-history-meta">{yuan(r.balanceCents)}</div>
                </div>
              </div>
            ))}
          </div>
        );
      }}
    </Loaded>
  );
}

function AccessNotifications() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const state = useLoad(() => get<{ enabled: boolean }>('/api/v1/portal/access-notifications'));
  const [value, setValue] = useState<boolean | null>(null);
  return (
    <Loaded state={state}>
      {(s) => {
        const enabled = value ?? s.enabled;
        return (
          <Card size="small">
            <Space style={{ width: '100%', justifyContent: 'space-between' }}>
              <span>{t('notificationsLabel')}</span>
              <Switch checked={enabled} checkedChildren={t('notificationsOn')} unCheckedChildren={t('notificationsOff')} aria-label={t('notificationsLabel')} onChange={(v) => {
                put<{ enabled: boolean }>('/api/v1/portal/access-notifications', { enabled: v }).then((r) => { setValue(r.enabled); void message.success(t('saved')); }, (e: unknown) => void message.error(errorText(e, t)));
              }} />
            </Space>
          </Card>
        );
      }}
    </Loaded>
  );
}

const ADVICE: Array<{ key: string; title: Bilingual; body: Bilingual }> = [
  {
    key: 'leak',
    title: { zh: '银行流水是怎样泄露的', en: 'How statements leak' },
    body: {
      zh: '常见途径包括：内部人员无业务理由查询并出售或转交；您本人把流水交给中介、贷款或租房等机构后被转卖；钓鱼网站或诈骗电话骗取网银登录信息；手机、邮箱中保存的流水截图或PDF被他人获取。',
      en: 'Common routes: an insider looks it up without a business reason and sells or passes it on; a copy you gave to an agent, lender or landlord is resold; phishing sites or scam calls steal your online-banking login; screenshots or PDFs on your phone or in your mailbox are taken.',
    },
  },
  {
    key: 'protect',
    title: { zh: '如何保护自己', en: 'How to protect yourself' },
    body: {
      zh: '定期查看银行流水和本页查询记录，发现异常及时报警；开启“每次查询短信提醒”；向第三方提供流水时注明用途并只提供必要期间；不要向任何人透露短信验证码——银行员工不会索要验证码。',
      en: 'Check your statement and this page regularly and report anything odd; turn on the text notification for every access; when you must give a statement to someone, write its purpose on it and give only the period needed; never tell anyone a text-message code — bank staff never ask for it.',
    },
  },
  {
    key: 'report',
    title: { zh: '如何向银行和警方报告', en: 'How to report to the bank and the police' },
    body: {
      zh: '在本页对可疑查询点击“我不认识此次查询”，本行安全团队会核查并联系您；也可拨打本行客服热线或到网点投诉。如已造成损失或怀疑信息被出售，请拨打110或到当地公安机关报案，并可向国家金融监督管理总局派出机构投诉。',
      en: "Press \"I don't recognise this\" on a suspicious access here; the bank's security team will investigate and contact you. You can also call the bank's hotline or complain at a branch. If you lost money or suspect your data was sold, call 110 or report to the local police, and you may complain to the financial regulator (NFRA).",
    },
  },
];

function Advice() {
  const { i18n } = useTranslation();
  return <Collapse style={{ marginTop: 16 }} defaultActiveKey={['protect']} items={ADVICE.map((a) => ({ key: a.key, label: pick(a.title, i18n.language), children: <Typography.Paragraph style={{ margin: 0 }}>{pick(a.body, i18n.language)}</Typography.Paragraph> }))} />;
}

export default function PortalApp() {
  const { t } = useTranslation();
  const [signedIn, setSignedIn] = useState<boolean | null>(null);
  useEffect(() => {
    if (!maySignedIn()) {
      setSignedIn(false);
      return;
    }
    get<{ kind: string }>('/api/v1/me').then((p) => setSignedIn(p.kind === 'customer'), (e: unknown) => setSignedIn(e instanceof ApiError ? false : false));
  }, []);
  const logout = () => {
    api('DELETE', '/api/v1/sessions/current').catch(() => undefined).finally(() => { setCsrfToken(null); setSignedIn(false); });
  };
  return (
    <div className="fg-portal">
      <Header onLogout={signedIn ? logout : undefined} />
      {signedIn === null && <div className="fg-center"><Spin /></div>}
      {signedIn === false && <Login onIn={() => setSignedIn(true)} />}
      {signedIn && (
        <div className="fg-portal-body">
          <Tabs items={[
            { key: 'history', label: t('tabHistory'), children: <History /> },
            { key: 'statement', label: t('tabStatement'), children: <MyStatement /> },
            { key: 'notifications', label: t('tabNotifications'), children: <AccessNotifications /> },
            { key: 'advice', label: t('tabAdvice'), children: <Advice /> },
          ]} />
        </div>
      )}
      {signedIn === false ? null : signedIn === undefined ? <Result status="error" /> : null}
    </div>
  );
}
