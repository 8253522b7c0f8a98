/** Administration under maker-checker: the policy set (view, validate, propose), purposes, changes. */
import { useState } from 'react';
import { Alert, App, Button, Form, Input, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { get, post } from '../api';
import { errorText, Loaded, useLoad } from '../common';
import { localTime, pick, type Bilingual } from '../format';
import type { Me } from './ConsoleApp';

interface PolicySet { text: string; version: number; schema: string; policyIds: string[] }
interface Change { id: string; kind: string; key: string; proposer_id: string; status: string; checker_id: string | null; created_at: string; decided_at: string | null }
interface Purpose { id: string; label: Bilingual; referenceKind: string; unlocks: string[] }

function PolicyTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const state = useLoad(() => get<PolicySet>('/api/v1/admin/policy-set'));
  const [text, setText] = useState<string | null>(null);
  const [result, setResult] = useState<{ valid: boolean; text: string } | null>(null);
  return (
    <Loaded state={state}>
      {(p) => {
        const current = text ?? p.text;
        return (
          <div>
            <Space style={{ marginBottom: 8 }} wrap>
              <Tag color="blue">{t('version')} {p.version}</Tag>
              {p.policyIds.slice(0, 30).map((id) => <Tag key={id}>{id}</Tag>)}
            </Space>
            <Input.TextArea value={current} onChange={(e) => setText(e.target.value)} rows={20} className="fg-mono" aria-label={t('policySet')} spellCheck={false} />
            {result && <Alert style={{ marginTop: 12 }} type={result.valid ? 'success' : 'error'} showIcon title={result.valid ? t('valid') : t('invalid')} description={result.valid ? undefined : <pre className="fg-pre">{result.text}</pre>} />}
            <Space style={{ marginTop: 12 }}>
              <Button onClick={() => {
                post<{ ok: boolean; errors?: unknown }>('/api/v1/admin/policy-set/validation', { text: current }).then(
                  (r) => setResult({ valid: r.ok, text: JSON.stringify(r.errors ?? r, null, 2) }),
                  (e: unknown) => setResult({ valid: false, text: errorText(e, t) }),
                );
              }}>{t('validate')}</Button>
              <Button type="primary" onClick={() => {
                post('/api/v1/admin/changes', { kind: 'policy_set', key: 'default', body: current }).then(() => void message.success(t('saved')), (e: unknown) => void message.error(errorText(e, t)));
              }}>{t('propose')}</Button>
            </Space>
          </div>
        );
      }}
    </Loaded>
  );
}

function ChangesTab({ me }: { me: Me }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const state = useLoad(() => get<Change[]>('/api/v1/admin/changes'));
  const decide = (id: string, verdict: 'applied' | 'rejected') =>
    post(`/api/v1/admin/changes/${encodeURIComponent(id)}`, { verdict }).then(() => { void message.success(t('saved')); state.reload(); }, (e: unknown) => void message.error(errorText(e, t)));
  return (
    <Loaded state={state}>
      {(rows) => (
        <Table size="small" rowKey="id" dataSource={rows} locale={{ emptyText: t('empty') }} pagination={{ pageSize: 15, hideOnSinglePage: true }} columns={[
          { title: 'ID', dataIndex: 'id', render: (v: string) => <span className="fg-mono">{v.slice(0, 12)}</span> },
          { title: t('kind'), dataIndex: 'kind' },
          { title: t('key'), dataIndex: 'key' },
          { title: t('proposer'), dataIndex: 'proposer_id' },
          { title: t('status'), dataIndex: 'status', render: (s: string) => <Tag color={s === 'applied' ? 'green' : s === 'rejected' ? 'red' : 'gold'}>{s}</Tag> },
          { title: t('createdAt'), dataIndex: 'created_at', render: (v: string) => localTime(v) },
          { title: t('actions'), render: (_, c) => c.status === 'pending' && c.proposer_id !== me.employeeId ? (
            <Space><Button size="small" type="primary" onClick={() => void decide(c.id, 'applied')}>{t('applyChange')}</Button><Button size="small" danger onClick={() => void decide(c.id, 'rejected')}>{t('reject')}</Button></Space>
          ) : null },
        ]} />
      )}
    </Loaded>
  );
}

interface StaffRow { id: string; username: string; displayName: string; pseudonym: string; branchId: string; bankRole: string; status: string; roles: string[] }

const TEMPLATES: Record<string, { key: string; body: string }> = {
  role_grant: { key: 'E000003', body: '{"roles":["approver"]}' },
  masking_rules: { key: 'default', body: '{"card_number":{"keepStart":6,"keepEnd":4}}' },
  purpose: { key: 'complaint', body: '{"id":"complaint","label":{"zh":"投诉处理","en":"Complaint handling"}}' },
};

function StaffTab() {
  const { t } = useTranslation();
  const state = useLoad(() => get<StaffRow[]>('/api/v1/oversight/staff'));
  return (
    <Loaded state={state}>
      {(rows) => (
        <Table size="small" rowKey="id" dataSource={rows} pagination={{ pageSize: 15, showSizeChanger: false }} columns={[
          { title: 'ID', dataIndex: 'id' },
          { title: t('username'), dataIndex: 'username' },
          { title: t('name'), dataIndex: 'displayName' },
          { title: t('pseudonym'), dataIndex: 'pseudonym' },
          { title: t('branch'), dataIndex: 'branchId' },
          { title: t('bankRole'), dataIndex: 'bankRole' },
          { title: t('roles'), dataIndex: 'roles', render: (v: string[]) => v.map((r) => <Tag key={r} color="geekblue">{r}</Tag>) },
          { title: t('status'), dataIndex: 'status', render: (v: string) => <Tag color={v === 'active' ? 'green' : 'red'}>{v}</Tag> },
        ]} />
      )}
    </Loaded>
  );
}

function ProposeTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [kind, setKind] = useState('role_grant');
  const [key, setKey] = useState(TEMPLATES.role_grant!.key);
  const [body, setBody] = useState(TEMPLATES.role_grant!.body);
  return (
    <Form layout="vertical" style={{ maxWidth: 720 }} onFinish={() => {
      post('/api/v1/admin/changes', { kind, key, body }).then(() => void message.success(t('saved')), (e: unknown) => void message.error(errorText(e, t)));
    }}>
      <Alert type="info" showIcon title={t('makerChecker')} style={{ marginBottom: 16 }} />
      <Form.Item label={t('kind')}>
        <Select value={kind} onChange={(v) => { setKind(v); setKey(TEMPLATES[v]!.key); setBody(TEMPLATES[v]!.body); }} options={Object.keys(TEMPLATES).map((k) => ({ value: k, label: t(`kind_${k}`) }))} />
      </Form.Item>
      <Form.Item label={t('key')}><Input value={key} onChange={(e) => setKey(e.target.value)} /></Form.Item>
      <Form.Item label="JSON"><Input.TextArea rows={6} className="fg-mono" value={body} onChange={(e) => setBody(e.target.value)} spellCheck={false} /></Form.Item>
      <Button type="primary" htmlType="submit">{t('propose')}</Button>
    </Form>
  );
}

function PurposesTab() {
  const { t, i18n } = useTranslation();
  const state = useLoad(() => get<Purpose[]>('/api/v1/purposes'));
  return (
    <Loaded state={state}>
      {(rows) => (
        <Table size="small" rowKey="id" dataSource={rows} pagination={false} columns={[
          { title: 'ID', dataIndex: 'id' },
          { title: t('purpose'), dataIndex: 'label', render: (v: Bilingual) => pick(v, i18n.language) },
          { title: t('referenceKind'), dataIndex: 'referenceKind' },
          { title: t('unlocks'), dataIndex: 'unlocks', render: (v: string[]) => v.map((f) => <Tag key={f}>{t(`f_${f}`)}</Tag>) },
        ]} />
      )}
    </Loaded>
  );
}

export default function Admin({ me }: { me: Me }) {
  const { t } = useTranslation();
  return (
    <div>
      <Typography.Title level={4} style={{ marginTop: 0 }}>{t('menuAdmin')}</Typography.Title>
      <Tabs items={[
        { key: 'policy', label: t('policySet'), children: <PolicyTab /> },
        { key: 'changes', label: t('changes'), children: <ChangesTab me={me} /> },
        { key: 'purposes', label: t('purposesTitle'), children: <PurposesTab /> },
        { key: 'staff', label: t('staffTitle'), children: <StaffTab /> },
        { key: 'propose', label: t('proposeTitle'), children: <ProposeTab /> },
      ]} />
    </div>
  );
}
