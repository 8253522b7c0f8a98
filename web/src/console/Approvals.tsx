/** The approver's inbox: pending requests with the full policy reasons and the requester's recent history. */
import { useState } from 'react';
import { App, Button, Card, Descriptions, Empty, Input, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { get, post } from '../api';
import { errorText, Loaded, useLoad } from '../common';
import { localTime, pick, type Bilingual } from '../format';
import { usePurposeLabel } from '../labels';
import { StatusBadge } from './MyRequests';

interface Pending {
  id: string;
  requester: { id: string; name: string; branchId: string; bankRole: string };
  customerId: string;
  purpose: string;
  reference: string;
  output: string;
  unmask: string[];
  period: { from: string; to: string };
  policyIds: string[];
  reason: Bilingual;
  createdAt: string;
  expiresAt: string | null;
  requesterRecent: Array<{ id: string; customerId: string; purpose: string; status: string; createdAt: string }>;
}

function Item({ p, onDone }: { p: Pending; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const purposeLabel = usePurposeLabel();
  const { message } = App.useApp();
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const decide = async (verdict: 'approved' | 'rejected') => {
    setBusy(verdict);
    try {
      await post(`/api/v1/approvals/${encodeURIComponent(p.id)}`, { verdict, comment });
      void message.success(t(verdict === 'approved' ? 'approvedMsg' : 'rejectedMsg'));
      onDone();
    } catch (e) {
      void message.error(errorText(e, t));
    } finally {
      setBusy(null);
    }
  };
  return (
    <Card size="small" style={{ marginBottom: 16 }} title={<Space><span className="fg-mono">{p.id}</span><Tag color="processing">{t('decisionPending')}</Tag></Space>} data-testid={`approval-${p.id}`}>
      <Descriptions size="small" column={2} bordered items={[
        { key: 'r', label: t('requester'), children: `${p.requester.name} (${p.requester.id} · ${p.requester.bankRole} · ${p.requester.branchId})` },
        { key: 'c', label: t('customer'), children: p.customerId },
        { key: 'p', label: t('purpose'), children: `${purposeLabel(p.purpose)} · ${p.reference}` },
        { key: 'o', label: t('output'), children: `${p.output}${p.unmask.length ? ` · ${p.unmask.map((f) => t(`f_${f}`)).join('、')}` : ''}` },
        { key: 'd', label: t('period'), children: `${p.period.from} ~ ${p.period.to}` },
        { key: 'e', label: t('expiresAt'), children: localTime(p.expiresAt) },
        { key: 'pol', label: t('policies'), span: 2, children: p.policyIds.map((id) => <Tag key={id} color="orange">{id}</Tag>) },
        { key: 'why', label: t('fullReason'), span: 2, children: pick(p.reason, i18n.language) },
      ]} />
      <Typography.Text strong style={{ display: 'block', margin: '12px 0 4px' }}>{t('recent')}</Typography.Text>
      {p.requesterRecent.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('empty')} /> : (
        <Table size="small" rowKey="id" pagination={false} dataSource={p.requesterRecent} columns={[
          { title: t('createdAt'), dataIndex: 'createdAt', render: (v: string) => localTime(v) },
          { title: t('customer'), dataIndex: 'customerId' },
          { title: t('purpose'), dataIndex: 'purpose', render: (v: string) => purposeLabel(v) },
          { title: t('status'), dataIndex: 'status', render: (s: string) => <StatusBadge status={s} /> },
        ]} />
      )}
      <Space.Compact style={{ width: '100%', marginTop: 12 }}>
        <Input placeholder={t('comment')} aria-label={t('comment')} value={comment} onChange={(e) => setComment(e.target.value)} maxLength={2000} data-testid="approval-comment" />
        <Button type="primary" loading={busy === 'approved'} onClick={() => void decide('approved')} data-testid="approve">{t('approve')}</Button>
        <Button danger loading={busy === 'rejected'} onClick={() => void decide('rejected')}>{t('reject')}</Button>
      </Space.Compact>
    </Card>
  );
}

export default function Approvals() {
  const { t } = useTranslation();
  const state = useLoad(() => get<Pending[]>('/api/v1/approvals'));
  return (
    <div>
      <Typography.Title level={4} style={{ marginTop: 0 }}>{t('menuApprovals')}</Typography.Title>
      <Loaded state={state}>
        {(items) => items.length === 0 ? <Empty description={t('noApprovals')} /> : <>{items.map((p) => <Item key={p.id} p={p} onDone={state.reload} />)}</>}
      </Loaded>
    </div>
  );
}
