/**
 * Silent flags the policy raised (a honeytoken touched, a related party, break-glass), for oversight.
 * The requester never sees them; each reading is recorded by the server.
 */
import { useState } from 'react';
import { Select, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { get } from '../api';
import { Loaded, useLoad } from '../common';
import { localTime, pick, type Bilingual } from '../format';

interface Flag { id: string; kind: string; severity: 'low' | 'medium' | 'high' | 'critical'; requestId: string | null; employee: string | null; customerId: string | null; createdAt: string }

const KINDS: Record<string, Bilingual> = {
  honeytoken_access: { zh: '触碰诱饵客户', en: 'Honeytoken touched' },
  related_party_access: { zh: '关联人查询', en: 'Related party' },
  break_glass_used: { zh: '紧急访问', en: 'Break-glass' },
};
const SEVERITY_COLOUR = { low: 'default', medium: 'gold', high: 'orange', critical: 'red' } as const;

export default function Flags() {
  const { t, i18n } = useTranslation();
  const [kind, setKind] = useState<string | undefined>(undefined);
  const state = useLoad(() => get<Flag[]>(`/api/v1/flags${kind ? `?kind=${encodeURIComponent(kind)}` : ''}`), [kind]);
  const kindLabel = (k: string) => (KINDS[k] ? pick(KINDS[k], i18n.language) : k);
  return (
    <div>
      <Typography.Title level={4} style={{ marginTop: 0 }}>{t('flagsTitle')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('flagsHelp')}</Typography.Paragraph>
      <Space style={{ marginBottom: 16 }}>
        <Select allowClear style={{ width: 220 }} placeholder={t('flagKind')} value={kind} onChange={setKind} aria-label={t('flagKind')}
          options={Object.keys(KINDS).map((k) => ({ value: k, label: kindLabel(k) }))} />
      </Space>
      <Loaded state={state}>
        {(rows) => (
          <Table size="middle" rowKey="id" dataSource={rows} pagination={{ pageSize: 20 }} locale={{ emptyText: t('empty') }} columns={[
            { title: t('when'), dataIndex: 'createdAt', render: (v: string) => localTime(v) },
            { title: t('flagKind'), dataIndex: 'kind', render: (k: string, r) => <Tag color={SEVERITY_COLOUR[r.severity]}>{kindLabel(k)}</Tag> },
            { title: t('flagEmployee'), dataIndex: 'employee' },
            { title: t('flagCustomer'), dataIndex: 'customerId' },
            { title: t('flagRequest'), dataIndex: 'requestId' },
          ]} />
        )}
      </Loaded>
    </div>
  );
}
