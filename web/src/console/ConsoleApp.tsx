/** The staff console: sign-in, then a Sider menu of the screens the employee's roles allow. */
import { lazy, Suspense, useEffect, useState } from 'react';
import { Avatar, Button, Card, Dropdown, Form, Input, Layout, Menu, Result, Space, Spin, Tag, Typography, Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, get, maySignedIn, setCsrfToken, ApiError } from '../api';
import { errorText } from '../common';
import { navigate, usePath } from '../router';
import { setLanguage } from '../i18n';

export interface Me {
  kind: 'staff';
  employeeId: string;
  username: string;
  displayName: string;
  pseudonym: string;
  branchId: string;
  bankRole: string;
  roles: string[];
}

const RequestWizard = lazy(() => import('./RequestWizard'));
const MyRequests = lazy(() => import('./MyRequests'));
const StatementPage = lazy(() => import('./StatementPage'));
const Approvals = lazy(() => import('./Approvals'));
const Dashboard = lazy(() => import('./Dashboard'));
const AuditRecord = lazy(() => import('./AuditRecord'));
const Flags = lazy(() => import('./Flags'));
const LogPage = lazy(() => import('./LogPage'));
const Training = lazy(() => import('./Training'));
const Admin = lazy(() => import('./Admin'));

const OVERSIGHT = ['security_analyst', 'investigator', 'compliance_officer', 'auditor'];

function menuFor(me: Me, t: (k: string) => string) {
  const has = (...roles: string[]) => roles.some((r) => me.roles.includes(r));
  const work = [
    { key: '/console/request', label: t('menuRequest') },
    { key: '/console/requests', label: t('menuMine') },
    ...(has('approver') ? [{ key: '/console/approvals', label: t('menuApprovals') }] : []),
  ];
  const oversight = has(...OVERSIGHT) ? [
    { key: '/console/dashboard', label: t('menuDashboard') },
    { key: '/console/audit', label: t('menuAudit') },
    { key: '/console/flags', label: t('menuFlags') },
    { key: '/console/log', label: t('menuLog') },
    { key: '/console/training', label: t('menuTraining') },
  ] : [];
  const admin = has('admin') ? [{ key: '/console/admin', label: t('menuAdmin') }, { key: '/console/training', label: t('menuTraining') }] : [];
  return [
    { type: 'group' as const, key: 'work', label: t('groupWork'), children: work },
    ...(oversight.length ? [{ type: 'group' as const, key: 'oversight', label: t('groupOversight'), children: oversight }] : []),
    ...(admin.length ? [{ type: 'group' as const, key: 'admin', label: t('groupAdmin'), children: admin }] : []),
  ];
}

function homeFor(me: Me): string {
  if (OVERSIGHT.some((r) => me.roles.includes(r))) return '/console/dashboard';
  if (me.roles.includes('approver')) return '/console/approvals';
  if (me.roles.includes('admin')) return '/console/admin';
  return '/console/request';
}

export function LanguageSwitch({ dark }: { dark?: boolean }) {
  const { t, i18n } = useTranslation();
  return (
    <Button type="link" size="small" className={dark ? 'fg-lang-dark' : ''} onClick={() => setLanguage(i18n.language.startsWith('en') ? 'zh-CN' : 'en')}>
      {t('language')}
    </Button>
  );
}

function Login({ onIn }: { onIn: (me: Me) => void }) {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (v: { username: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      const r = await api<{ csrfToken: string }>('POST', '/api/v1/sessions', v);
      setCsrfToken(r.csrfToken);
      onIn(await get<Me>('/api/v1/me'));
    } catch (e) {
      setError(errorText(e, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="fg-login">
      <Card className="fg-login-card" title={<Space><span style={{ color: '#1d4e89', fontWeight: 700 }}>{t('appName')}</span><span>{t('loginTitle')}</span></Space>} extra={<LanguageSwitch />}>
        <Form layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item label={t('username')} name="username" rules={[{ required: true, message: t('required') }]}>
            <Input autoFocus autoComplete="username" />
          </Form.Item>
          <Form.Item label={t('password')} name="password" rules={[{ required: true, message: t('required') }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
          <Button type="primary" htmlType="submit" block loading={busy}>{t('login')}</Button>
        </Form>
        <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0, fontSize: 12 }}>
          {t('loginHint')}<br />{t('demoHint')}
        </Typography.Paragraph>
      </Card>
    </div>
  );
}

export default function ConsoleApp() {
  const { t } = useTranslation();
  const path = usePath();
  const [me, setMe] = useState<Me | null | undefined>(undefined);

  useEffect(() => {
    if (!maySignedIn()) {
      setMe(null);
      return;
    }
    get<Me | { kind: 'customer' }>('/api/v1/me').then(
      (p) => setMe(p.kind === 'staff' ? p : null),
      (e: unknown) => setMe(e instanceof ApiError && e.status === 401 ? null : null),
    );
  }, []);

  useEffect(() => {
    if (me && (path === '/' || path === '/console' || path === '/console/')) navigate(homeFor(me));
  }, [me, path]);

  if (me === undefined) return <div className="fg-center"><Spin size="large" /></div>;
  if (me === null) return <Login onIn={setMe} />;

  const logout = async () => {
    await api('DELETE', '/api/v1/sessions/current').catch(() => undefined);
    setCsrfToken(null);
    setMe(null);
    navigate('/');
  };

  const statementId = /^\/console\/statement\/([^/]+)$/.exec(path)?.[1];
  let page;
  if (statementId) page = <StatementPage id={decodeURIComponent(statementId)} me={me} />;
  else if (path.startsWith('/console/requests')) page = <MyRequests />;
  else if (path.startsWith('/console/approvals')) page = <Approvals />;
  else if (path.startsWith('/console/dashboard')) page = <Dashboard />;
  else if (path.startsWith('/console/audit')) page = <AuditRecord />;
  else if (path.startsWith('/console/flags')) page = <Flags />;
  else if (path.startsWith('/console/log')) page = <LogPage />;
  else if (path.startsWith('/console/training')) page = <Training />;
  else if (path.startsWith('/console/admin')) page = <Admin me={me} />;
  else if (path.startsWith('/console/request')) page = <RequestWizard />;
  else page = <Result status="404" title="404" extra={<Button onClick={() => navigate(homeFor(me))}>{t('back')}</Button>} />;

  const selected = statementId ? '/console/requests' : path;
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider width={216} breakpoint="lg" collapsedWidth={0} theme="dark" style={{ background: '#0f2d52' }}>
        <div className="fg-logo">{t('appName')}<small>Flowguard · 个人银行流水访问管控</small></div>
        <Menu
          theme="dark"
          mode="inline"
          style={{ background: '#0f2d52' }}
          selectedKeys={[selected]}
          items={menuFor(me, t)}
          onClick={(e) => navigate(e.key)}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header className="fg-header">
          <Typography.Text strong>{t('consoleTitle')}</Typography.Text>
          <Space>
            <LanguageSwitch />
            <Dropdown menu={{ items: [{ key: 'logout', label: t('logout'), onClick: () => void logout() }] }}>
              <Space style={{ cursor: 'pointer' }} data-testid="user-menu">
                <Avatar style={{ background: '#1d4e89' }}>{me.displayName.slice(0, 1)}</Avatar>
                <span>{me.displayName}</span>
                <Tag>{me.employeeId}</Tag>
                <Tag color="blue">{me.branchId}</Tag>
              </Space>
            </Dropdown>
          </Space>
        </Layout.Header>
        <Layout.Content>
          <div className="fg-content">
            <Suspense fallback={<div className="fg-center"><Spin /></div>}>{page}</Suspense>
          </div>
        </Layout.Content>
        <Layout.Footer style={{ textAlign: 'center', color: '#8c8c8c', fontSize: 12 }}>
          流水卫士 Flowguard · 所有查询均记入可验证日志 · Every access is recorded in a verifiable log
        </Layout.Footer>
      </Layout>
    </Layout>
  );
}
