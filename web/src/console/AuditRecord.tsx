/** The audit record with filters and entry detail; employees under pseudonyms until revealed (recorded). */
import { useState } from 'react';
import { App, Button, Descriptions, Drawer, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { get, post } from '../api';
import { errorText, Loaded, useLoad } from '../common';
import { localTime } from '../format';
import { ACTION_IDS, actionLabel } from '../labels';

interface Row { seq: number; time: string; action: string; actor: { kind: string; pseudonym: string | null; branchId: string | null; bankRole: string | null }; customerId: string | null; requestId: string | null; logIndex: number | null }
interface Entry extends Row { detail: Record<string, unknown>; trace: string | null }


function Reveal({ pseudonym }: { pseudonym: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [reason, setReason] = useState('');
  const [who, setWho] = useState<{ displayName: string; employeeId: string } | null>(null);
  if (who) return <Tag color="red" data-testid="revealed">{who.displayName} {who.employeeId} · {t('revealed')}</Tag>;
  return (
    <Space.Compact>
      <Input size="small" placeholder={t('revealReason')} aria-label={t('revealReason')} value={reason} onChange={(e) => setReason(e.target.value)} style={{ width: 260 }} />
      <Button size="small" danger disabled={reason.trim().length < 4} onClick={() => {
        post<{ displayName: string; employeeId: string }>(`/api/v1/oversight/employees/${encodeURIComponent(pseudonym)}/reveal`, { reason }).then(setWho, (e: unknown) => void message.error(errorText(e, t)));
      }}>{t('reveal')}</Button>
    </Space.Compact>
  );
}

export default function AuditRecord() {
  const { t, i18n } = useTranslation();
  const [filter, setFilter] = useState<Record<string, string>>({});
  const [form] = Form.useForm();
  const state = useLoad(() => {
    const qs = new URLSearchParams(Object.entries(filter).filter(([, v]) => v)).toString();
    return get<Row[]>(`/api/v1/oversight/audit-record?limit=200${qs ? `&${qs}` : ''}`);
  }, [JSON.stringify(filter)]);
  const [open, setOpen] = useState<number | null>(null);
  const entry = useLoad(() => (open === null ? Promise.resolve(null) : get<Entry>(`/api/v1/oversight/audit-record/${open}`)), [open]);
  return (
    <div>
      <Typography.Title level={4} style={{ marginTop: 0 }}>{t('menuAudit')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('pseudonymNote')}</Typography.Paragraph>
      <Form form={form} layout="inline" onFinish={(v: Record<string, string | undefined>) => setFilter(Object.fromEntries(Object.entries(v).filter(([, x]) => x)) as Record<string, string>)} style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item name="action" label={t('action')}><Select allowClear style={{ width: 220 }} options={ACTION_IDS.map((a) => ({ value: a, label: actionLabel(a, i18n.language) }))} /></Form.Item>
        <Form.Item name="pseudonym" label={t('pseudonym')}><Input style={{ width: 140 }} /></Form.Item>
        <Form.Item name="customerId" label={t('customerId')}><Input style={{ width: 130 }} /></Form.Item>
        <Form.Item name="requestId" label={t('requestNo')}><Input style={{ width: 200 }} /></Form.Item>
        <Form.Item><Space><Button type="primary" htmlType="submit">{t('filter')}</Button><Button onClick={() => { form.resetFields(); setFilter({}); }}>{t('reset')}</Button></Space></Form.Item>
      </Form>
      <Loaded state={state}>
        {(rows) => (
          <Table rowKey="seq" size="small" dataSource={rows} pagination={{ pageSize: 20, showSizeChanger: false }} locale={{ emptyText: t('empty') }} columns={[
            { title: t('seq'), dataIndex: 'seq', width: 70 },
            { title: t('time'), dataIndex: 'time', render: (v: string) => localTime(v), width: 170 },
            { title: t('action'), dataIndex: 'action', render: (v: string) => <Tag color={v.includes('refused') || v.includes('failed') ? 'red' : v.startsWith('statement') ? 'blue' : 'default'} title={v}>{actionLabel(v, i18n.language)}</Tag> },
            { title: t('actor'), render: (_, r) => r.actor.pseudonym ?? r.actor.kind },
            { title: t('branch'), render: (_, r) => r.actor.branchId ?? '—' },
            { title: t('customer'), dataIndex: 'customerId', render: (v: string | null) => v ?? '—' },
            { title: t('logIndex'), dataIndex: 'logIndex', render: (v: number | null) => v ?? '—' },
            { title: t('actions'), render: (_, r) => <Button size="small" type="link" onClick={() => setOpen(r.seq)}>{t('detail')}</Button> },
          ]} />
        )}
      </Loaded>
      <Drawer open={open !== null} onClose={() => setOpen(null)} size="large" title={`${t('entryDetail')} #${open ?? ''}`} destroyOnHidden>
        <Loaded state={entry}>
          {(e) => e && (
            <>
              <Descriptions bordered size="small" column={1} items={[
                { key: 'seq', label: t('seq'), children: e.seq },
                { key: 'time', label: t('time'), children: localTime(e.time) },
                { key: 'action', label: t('action'), children: `${actionLabel(e.action, i18n.language)} (${e.action})` },
                { key: 'actor', label: t('actor'), children: <Space orientation="vertical">{`${e.actor.pseudonym ?? e.actor.kind} · ${e.actor.bankRole ?? ''} · ${e.actor.branchId ?? ''}`}{e.actor.pseudonym && <Reveal pseudonym={e.actor.pseudonym} />}</Space> },
                { key: 'customer', label: t('customer'), children: e.customerId ?? '—' },
                { key: 'request', label: t('requestNo'), children: e.requestId ?? '—' },
                { key: 'log', label: t('logIndex'), children: e.logIndex ?? '—' },
              ]} />
              <pre className="fg-pre" style={{ marginTop: 16 }}>{JSON.stringify(e.detail, null, 2)}</pre>
            </>
          )}
        </Loaded>
      </Drawer>
    </div>
  );
}
