/** The released statement: masked, with the watermark over the whole table. Single use. */
import { useEffect, useState } from 'react';
import { Alert, Button, Descriptions, Result, Space, Spin, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { get } from '../api';
import { errorText } from '../common';
import { localTime, yuan } from '../format';
import { navigate } from '../router';
import type { Me } from './ConsoleApp';
import { Watermark } from './Watermark';

interface Row { postedAt: string; amountCents: number; balanceCents: number; currency: string; description: string; channel: string; counterpartyName: string | null; counterpartyAccount: string | null }
interface StatementView {
  requestId: string;
  period: { from: string; to: string };
  customer: { id: string; name: string; idNumber: string; mobile: string };
  accounts: Array<{ id: string; cardNumber: string; currency: string; openingBalanceCents: number; closingBalanceCents: number; rows: Row[] }>;
  unmasked: string[];
  watermark: { text: string; employeeId: string; displayName: string; time: string; requestId: string };
}

// A statement is released once; keep it for this page's life so React's double effects do not ask twice.
const released = new Map<string, Promise<StatementView>>();

export default function StatementPage({ id }: { id: string; me: Me }) {
  const { t } = useTranslation();
  const [view, setView] = useState<StatementView | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let p = released.get(id);
    if (!p) {
      p = get<StatementView>(`/api/v1/statement-requests/${encodeURIComponent(id)}/statement`);
      released.set(id, p);
    }
    p.then(setView, (e: unknown) => {
      released.delete(id);
      setError(e);
    });
  }, [id]);

  if (error) {
    return <Result status="warning" title={t('genericError')} subTitle={errorText(error, t)} extra={<Button onClick={() => navigate('/console/requests')}>{t('toMine')}</Button>} />;
  }
  if (!view) return <div className="fg-center"><Spin size="large" /></div>;
  const w = view.watermark;
  const lines = [`${w.displayName} ${w.employeeId}`, localTime(w.time), w.requestId.slice(3, 11)];
  return (
    <div>
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={4} style={{ marginTop: 0 }}>{t('statementTitle')}</Typography.Title>
        <Button onClick={() => navigate('/console/requests')}>{t('close')}</Button>
      </Space>
      <Alert type="info" showIcon title={t('watermarkNote')} style={{ marginBottom: 16 }} />
      <Watermark lines={lines}>
        <Descriptions bordered size="small" column={{ xs: 1, md: 3 }} style={{ marginBottom: 16 }} items={[
          { key: 'r', label: t('requestNo'), children: <span className="fg-mono">{view.requestId}</span> },
          { key: 'c', label: t('customerId'), children: view.customer.id },
          { key: 'n', label: t('name'), children: <span data-testid="customer-name">{view.customer.name}</span> },
          { key: 'i', label: t('idNumber'), children: <span className="fg-mono">{view.customer.idNumber}</span> },
          { key: 'm', label: t('mobile'), children: view.customer.mobile },
          { key: 'p', label: t('period'), children: `${view.period.from} ~ ${view.period.to}` },
        ]} />
        {view.accounts.map((a) => (
          <div key={a.id} style={{ marginBottom: 24 }}>
            <Space style={{ marginBottom: 8 }} wrap>
              <Tag color="blue">{t('account')} {a.id}</Tag>
              <span className="fg-mono" data-testid="card-number">{a.cardNumber}</span>
              <Typography.Text type="secondary">{t('opening')} ¥{yuan(a.openingBalanceCents)} · {t('closing')} ¥{yuan(a.closingBalanceCents)}</Typography.Text>
            </Space>
            <Table
              size="small"
              rowKey={(r) => `${r.postedAt}-${r.balanceCents}`}
              dataSource={a.rows}
              pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
              locale={{ emptyText: t('empty') }}
              columns={[
                { title: t('postedAt'), dataIndex: 'postedAt', render: (v: string) => localTime(v), width: 170 },
                { title: t('description'), dataIndex: 'description' },
                { title: t('channel'), dataIndex: 'channel', width: 100 },
                { title: t('amount'), dataIndex: 'amountCents', align: 'right', render: (v: number) => <span className={v < 0 ? 'fg-num-neg' : 'fg-num-pos'}>{yuan(v)}</span> },
                { title: t('balance'), dataIndex: 'balanceCents', align: 'right', render: (v: number) => yuan(v) },
                { title: t('counterparty'), dataIndex: 'counterpartyName', render: (v: string | null) => v ?? '—' },
                { title: t('counterpartyAccount'), dataIndex: 'counterpartyAccount', render: (v: string | null) => <span className="fg-mono">{v ?? '—'}</span> },
              ]}
            />
          </div>
        ))}
      </Watermark>
    </div>
  );
}
