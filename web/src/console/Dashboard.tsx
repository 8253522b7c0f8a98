/** The security dashboard: the bank's statement access at a glance, over the last 24 hours, 7 or 30 days. */
import { useMemo, useState } from 'react';
import { Button, Card, Col, Row, Segmented, Space, Statistic, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { get } from '../api';
import { Loaded, useLoad } from '../common';
import { usePurposeLabel } from '../labels';
import { Chart } from './Chart';

interface Series {
  window: { from: string; to: string; hours: number };
  accessesPerHour: Array<{ hour: string; count: number }>;
  decisionsByOutcome: Array<{ outcome: string; count: number }>;
  decisionsByReason: Array<{ policyId: string; count: number }>;
  purposes: Array<{ purpose: string; count: number }>;
  topEmployees: Array<{ pseudonym: string; branchId: string; distinctCustomers: number; accesses: number }>;
  breakGlass: { count: number; openReviews: number };
  pendingApprovals: number;
}

const COLORS = { allow: '#52c41a', deny: '#f5222d', needs_approval: '#faad14' } as Record<string, string>;

function Charts({ s }: { s: Series }) {
  const { t } = useTranslation();
  const purposeLabel = usePurposeLabel();
  const hourLabel = (h: string) => {
    const at = new Date(`${h}:00:00Z`);
    const time = `${at.getHours().toString().padStart(2, '0')}:00`;
    return s.window.hours > 24 ? `${at.getMonth() + 1}-${at.getDate()} ${time}` : time;
  };
  const options = useMemo(() => ({
    perHour: {
      tooltip: { trigger: 'axis' }, grid: { left: 40, right: 16, top: 24, bottom: 28 },
      xAxis: { type: 'category', data: s.accessesPerHour.map((b) => hourLabel(b.hour)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ type: 'bar', name: t('totalAccesses'), data: s.accessesPerHour.map((b) => b.count), itemStyle: { color: '#1d4e89' } }],
    },
    outcome: {
      tooltip: { trigger: 'item' }, legend: { bottom: 0 },
      series: [{ type: 'pie', radius: ['40%', '68%'], data: s.decisionsByOutcome.map((d) => ({ name: t(`out_${d.outcome}`), value: d.count, itemStyle: { color: COLORS[d.outcome] ?? '#8c8c8c' } })) }],
    },
    reason: {
      tooltip: { trigger: 'axis' }, grid: { left: 180, right: 24, top: 8, bottom: 24 },
      xAxis: { type: 'value', minInterval: 1 }, yAxis: { type: 'category', data: s.decisionsByReason.map((d) => d.policyId).reverse() },
      series: [{ type: 'bar', data: s.decisionsByReason.map((d) => d.count).reverse(), itemStyle: { color: '#2f6db5' } }],
    },
    purposes: {
      tooltip: { trigger: 'item' }, legend: { bottom: 0, type: 'scroll' },
      series: [{ type: 'pie', radius: '62%', data: s.purposes.map((p) => ({ name: purposeLabel(p.purpose), value: p.count })) }],
    },
  // eslint-disable-next-line react-hooks/exhaustive-deps
  }), [s, t, purposeLabel]);
  const total = s.accessesPerHour.reduce((n, b) => n + b.count, 0);
  return (
    <>
      <Row gutter={[16, 16]}>
        <Col xs={12} md={6}><Card size="small"><Statistic title={t('totalAccesses')} value={total} /></Card></Col>
        <Col xs={12} md={6}><Card size="small"><Statistic title={t('pendingApprovals')} value={s.pendingApprovals} /></Card></Col>
        <Col xs={12} md={6}><Card size="small"><Statistic title={t('breakGlassUses')} value={s.breakGlass.count} styles={{ content: { color: s.breakGlass.count ? '#cf1322' : undefined } }} /></Card></Col>
        <Col xs={12} md={6}><Card size="small"><Statistic title={t('openReviews')} value={s.breakGlass.openReviews} /></Card></Col>
      </Row>
      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        <Col xs={24} lg={14}><Card size="small" title={t('accessesPerHour')}><Chart testId="chart-per-hour" series={s.accessesPerHour} option={options.perHour} /></Card></Col>
        <Col xs={24} lg={10}><Card size="small" title={t('decisionsByOutcome')}><Chart testId="chart-outcome" series={s.decisionsByOutcome} option={options.outcome} /></Card></Col>
        <Col xs={24} lg={14}><Card size="small" title={t('decisionsByReason')}><Chart testId="chart-reason" series={s.decisionsByReason} option={options.reason} /></Card></Col>
        <Col xs={24} lg={10}><Card size="small" title={t('purposes')}><Chart testId="chart-purposes" series={s.purposes} option={options.purposes} /></Card></Col>
        <Col xs={24}>
          <Card size="small" title={t('topEmployees')}>
            <Table size="small" rowKey="pseudonym" pagination={false} dataSource={s.topEmployees} data-testid="top-employees" locale={{ emptyText: t('empty') }} columns={[
              { title: t('pseudonym'), dataIndex: 'pseudonym' },
              { title: t('branch'), dataIndex: 'branchId' },
              { title: t('distinctCustomers'), dataIndex: 'distinctCustomers' },
              { title: t('totalAccesses'), dataIndex: 'accesses' },
            ]} />
          </Card>
        </Col>
      </Row>
    </>
  );
}

/** The windows an analyst can look back over (the API allows up to 31 days). */
const WINDOWS = [{ hours: 24, label: 'window24' }, { hours: 24 * 7, label: 'window7d' }, { hours: 24 * 30, label: 'window30d' }] as const;

export default function Dashboard() {
  const { t } = useTranslation();
  const [hours, setHours] = useState<number>(24);
  const state = useLoad(() => get<Series>(`/api/v1/oversight/dashboard?hours=${hours}`), [hours]);
  return (
    <div>
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={4} style={{ marginTop: 0 }}>{t('menuDashboard')}</Typography.Title>
        <Space>
          <Segmented value={hours} onChange={(v) => setHours(Number(v))} options={WINDOWS.map((w) => ({ value: w.hours, label: t(w.label) }))} data-testid="window" />
          <Button onClick={state.reload} data-testid="refresh">{t('refresh')}</Button>
        </Space>
      </Space>
      <Loaded state={state}>{(s) => <Charts s={s} />}</Loaded>
    </div>
  );
}
