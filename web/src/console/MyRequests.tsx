/** My requests and their status; an approved or allowed one opens from here (warning first). */
import { useState } from 'react';
import { Badge, Button, Modal, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { get } from '../api';
import { Loaded, useLoad } from '../common';
import { localTime, pick, type Bilingual } from '../format';
import { usePurposeLabel } from '../labels';
import { navigate } from '../router';
import { LegalWarning, type Decision } from './RequestWizard';

interface Mine { id: string; customerId: string; purpose: string; output: string; period: { from: string; to: string }; status: Decision['status']; reason: Bilingual; breakGlass: boolean; createdAt: string; expiresAt: string | null; acknowledgedAt: string | null }

export const STATUS_BADGE: Record<string, 'success' | 'error' | 'processing' | 'default' | 'warning'> = {
  allowed: 'success', approved: 'success', released: 'default', denied: 'error', rejected: 'error', pending_approval: 'processing',
};
const STATUS_KEY: Record<string, string> = {
  allowed: 'decisionAllowed', approved: 'decisionApproved', released: 'decisionReleased', denied: 'decisionDenied', rejected: 'decisionRejected', pending_approval: 'decisionPending',
};

export function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  return <Badge status={STATUS_BADGE[status] ?? 'default'} text={t(STATUS_KEY[status] ?? status)} />;
}

export default function MyRequests() {
  const { t, i18n } = useTranslation();
  const purposeLabel = usePurposeLabel();
  const state = useLoad(() => get<Mine[]>('/api/v1/statement-requests'));
  const [warningFor, setWarningFor] = useState<Mine | null>(null);
  const open = (r: Mine) => {
    if (r.acknowledgedAt) navigate(`/console/statement/${encodeURIComponent(r.id)}`);
    else setWarningFor(r);
  };
  return (
    <div>
      <Typography.Title level={4} style={{ marginTop: 0 }}>{t('menuMine')}</Typography.Title>
      <Loaded state={state}>
        {(rows) => (
          <Table
            rowKey="id"
            size="middle"
            dataSource={rows}
            locale={{ emptyText: t('empty') }}
            pagination={{ pageSize: 15, hideOnSinglePage: true }}
            columns={[
              { title: t('requestNo'), dataIndex: 'id', render: (v: string) => <span className="fg-mono">{v.slice(0, 11)}</span> },
              { title: t('customer'), dataIndex: 'customerId' },
              { title: t('purpose'), dataIndex: 'purpose', render: (v: string) => purposeLabel(v) },
              { title: t('period'), render: (_, r) => `${r.period.from} ~ ${r.period.to}` },
              { title: t('status'), dataIndex: 'status', render: (s: string) => <span data-testid={`status-${s}`}><StatusBadge status={s} /></span> },
              { title: t('reason'), dataIndex: 'reason', render: (v: Bilingual) => pick(v, i18n.language), ellipsis: true },
              { title: t('createdAt'), dataIndex: 'createdAt', render: (v: string) => localTime(v) },
              {
                title: t('actions'),
                render: (_, r) => (r.status === 'allowed' || r.status === 'approved')
                  ? <Button type="primary" size="small" onClick={() => open(r)} data-testid={`open-${r.id}`}>{t('openStatement')}</Button>
                  : null,
              },
            ]}
          />
        )}
      </Loaded>
      <Modal open={warningFor !== null} footer={null} onCancel={() => setWarningFor(null)} width={720} title={t('stepWarning')} destroyOnHidden>
        {warningFor && (
          <LegalWarning
            decision={{ id: warningFor.id, status: warningFor.status, outcome: '', reason: warningFor.reason, breakGlass: warningFor.breakGlass, expiresAt: warningFor.expiresAt, legalWarning: null }}
            onDone={() => navigate(`/console/statement/${encodeURIComponent(warningFor.id)}`)}
          />
        )}
      </Modal>
    </div>
  );
}
