/**
 * The request wizard: find a customer (masked results), purpose and reference, period and output,
 * then the decision. An allowed request shows the legal warning (法律风险警示) to acknowledge before
 * the statement opens; a pending one waits for the approver; a denied one shows the neutral reason.
 */
import { useEffect, useMemo, useState } from 'react';
import { Alert, AutoComplete, Button, Checkbox, DatePicker, Descriptions, Form, Input, Radio, Result, Select, Space, Steps, Switch, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import dayjs, { type Dayjs } from 'dayjs';
import { get, post } from '../api';
import { errorText } from '../common';
import { navigate } from '../router';
import { pick, type Bilingual } from '../format';

interface CustomerHit { id: string; name: string; mobile: string; branchId: string; accounts: Array<{ id: string; cardNumber: string }> }
interface Purpose { id: string; label: Bilingual; referenceKind: string; unlocks: string[] }
interface Ticket { id: string; customerId: string; kind: string; documentNumber: string | null; openedAt: string }
export interface Decision {
  id: string;
  status: 'allowed' | 'denied' | 'pending_approval' | 'approved' | 'rejected' | 'released';
  outcome: string;
  reason: Bilingual;
  breakGlass: boolean;
  expiresAt: string | null;
  legalWarning: (Bilingual & { version: string }) | null;
}

export function LegalWarning({ decision, onDone }: { decision: Decision; onDone: () => void }) {
  const { t } = useTranslation();
  const [checked, setChecked] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [warning, setWarning] = useState(decision.legalWarning);
  useEffect(() => {
    if (!warning) get<Bilingual & { version: string }>('/api/v1/legal-warning').then(setWarning, (e: unknown) => setError(errorText(e, t)));
  }, [warning, t]);
  const ack = async () => {
    if (!warning) return;
    setBusy(true);
    try {
      await post(`/api/v1/statement-requests/${decision.id}/acknowledgement`, { version: warning.version });
      onDone();
    } catch (e) {
      setError(errorText(e, t));
      setBusy(false);
    }
  };
  return (
    <div data-testid="legal-warning">
      <Alert
        type="warning"
        showIcon
        title={<Typography.Title level={4} style={{ margin: 0, color: '#ad4e00' }}>法律风险警示 · Legal risk warning</Typography.Title>}
        description={
          <div style={{ fontSize: 15, lineHeight: 1.9 }}>
            <p style={{ margin: '8px 0' }}>{warning?.zh}</p>
            <p style={{ margin: '8px 0', color: '#595959' }}>{warning?.en}</p>
          </div>
        }
      />
      <Space orientation="vertical" style={{ marginTop: 16 }}>
        <Checkbox checked={checked} onChange={(e) => setChecked(e.target.checked)} data-testid="ack-check">{t('acknowledge')}</Checkbox>
        {error && <Alert type="error" showIcon title={error} />}
        <Button type="primary" danger disabled={!checked || !warning} loading={busy} onClick={() => void ack()} data-testid="ack-button">{t('acknowledgeAndView')}</Button>
      </Space>
    </div>
  );
}

export function DecisionResult({ decision, extra }: { decision: Decision; extra?: React.ReactNode }) {
  const { t, i18n } = useTranslation();
  const reason = pick(decision.reason, i18n.language);
  if (decision.status === 'denied' || decision.status === 'rejected') {
    return <Result status="error" title={t(decision.status === 'denied' ? 'decisionDenied' : 'decisionRejected')} subTitle={<span data-testid="decision-reason">{t('reason')}：{reason}</span>} extra={extra} />;
  }
  if (decision.status === 'pending_approval') {
    return <Result status="info" title={t('decisionPending')} subTitle={<><span data-testid="decision-reason">{t('reason')}：{reason}</span><br />{t('pendingHelp')}</>} extra={extra} />;
  }
  return <Result status="success" title={t('decisionAllowed')} subTitle={<span data-testid="decision-reason">{t('reason')}：{reason}</span>} extra={extra} />;
}

const OUTPUTS = ['view', 'csv', 'pdf', 'print'] as const;

export default function RequestWizard() {
  const { t, i18n } = useTranslation();
  const [step, setStep] = useState(0);
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<CustomerHit[] | null>(null);
  const [searching, setSearching] = useState(false);
  const [customer, setCustomer] = useState<CustomerHit | null>(null);
  const [purposes, setPurposes] = useState<Purpose[]>([]);
  const [tickets, setTickets] = useState<Ticket[]>([]);
  const [purposeId, setPurposeId] = useState<string>('service_ticket');
  const [reference, setReference] = useState('');
  const [code, setCode] = useState('');
  const [codeSentTo, setCodeSentTo] = useState<string | null>(null);
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs().subtract(90, 'day'), dayjs().subtract(1, 'day')]);
  const [output, setOutput] = useState<(typeof OUTPUTS)[number]>('view');
  const [unmask, setUnmask] = useState<string[]>([]);
  const [breakGlass, setBreakGlass] = useState(false);
  const [justification, setJustification] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [decision, setDecision] = useState<Decision | null>(null);

  useEffect(() => {
    get<Purpose[]>('/api/v1/purposes').then(setPurposes, (e: unknown) => setError(errorText(e, t)));
  }, [t]);
  const purpose = purposes.find((p) => p.id === purposeId);

  const search = async () => {
    setSearching(true);
    setError(null);
    try {
      setHits(await get<CustomerHit[]>(`/api/v1/customers?q=${encodeURIComponent(q.trim())}`));
    } catch (e) {
      setError(errorText(e, t));
      setHits(null);
    } finally {
      setSearching(false);
    }
  };

  const choose = async (c: CustomerHit) => {
    setCustomer(c);
    setReference('');
    setCodeSentTo(null);
    setCode('');
    setStep(1);
    try {
      const mine = await get<Ticket[]>(`/api/v1/my/tickets?customerId=${encodeURIComponent(c.id)}`);
      setTickets(mine);
      if (mine[0] && purposes.find((p) => p.id === purposeId)?.referenceKind === 'ticket') setReference(mine[0].id);
    } catch {
      setTickets([]);
    }
  };

  const sendCode = async () => {
    if (!customer) return;
    setError(null);
    try {
      const r = await post<{ codeId: string; sentTo: string }>(`/api/v1/customers/${customer.id}/counter-codes`);
      setReference(r.codeId);
      setCodeSentTo(r.sentTo);
    } catch (e) {
      setError(errorText(e, t));
    }
  };

  const referenceOptions = useMemo(() => tickets.map((tk) => {
    const value = purpose?.referenceKind === 'document_number' && tk.documentNumber ? tk.documentNumber : tk.id;
    return { value, label: `${value} · ${tk.kind}` };
  }), [tickets, purpose]);

  const submit = async () => {
    if (!customer) return;
    setBusy(true);
    setError(null);
    try {
      const body: Record<string, unknown> = {
        customerId: customer.id,
        period: { from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD') },
        purpose: purposeId,
        reference,
        output,
        ...(unmask.length ? { unmask } : {}),
        ...(purpose?.referenceKind === 'counter_code' ? { code } : {}),
        ...(breakGlass ? { breakGlass: { justification } } : {}),
      };
      const d = await post<Decision>('/api/v1/statement-requests', body);
      setDecision(d);
      setStep(d.status === 'allowed' ? 3 : 4);
    } catch (e) {
      setError(errorText(e, t));
    } finally {
      setBusy(false);
    }
  };

  const reset = () => {
    setStep(0);
    setDecision(null);
    setCustomer(null);
    setHits(null);
    setQ('');
    setUnmask([]);
    setBreakGlass(false);
    setJustification('');
    setError(null);
  };

  const referenceReady = reference.trim() !== '' && (purpose?.referenceKind !== 'counter_code' || /^\d{6}$/.test(code));

  return (
    <div>
      <Typography.Title level={4} style={{ marginTop: 0 }}>{t('menuRequest')}</Typography.Title>
      <Steps
        current={step}
        size="small"
        style={{ marginBottom: 24 }}
        status={decision && (decision.status === 'denied' || decision.status === 'rejected') ? 'error' : undefined}
        items={[
          { title: t('stepCustomer') },
          { title: t('stepPurpose') },
          { title: t('stepScope') },
          // Only an allowed request reaches the warning; otherwise the step was not taken.
          { title: t('stepWarning'), ...(step === 4 ? { status: 'wait' as const } : {}) },
          { title: t('stepDecision') },
        ]}
      />
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} closable={{ onClose: () => setError(null) }} />}

      {step === 0 && (
        <div>
          <Space.Compact style={{ width: '100%', maxWidth: 560 }}>
            <Input
              placeholder={t('searchCustomer')}
              aria-label={t('searchCustomer')}
              value={q}
              onChange={(e) => setQ(e.target.value)}
              onPressEnter={() => void search()}
              data-testid="customer-search"
            />
            <Button type="primary" loading={searching} onClick={() => void search()} disabled={q.trim().length < 2}>{t('search')}</Button>
          </Space.Compact>
          {hits && (
            <Table
              style={{ marginTop: 16 }}
              rowKey="id"
              size="middle"
              dataSource={hits}
              pagination={false}
              locale={{ emptyText: t('empty') }}
              columns={[
                { title: t('customerId'), dataIndex: 'id' },
                { title: t('name'), dataIndex: 'name' },
                { title: t('mobile'), dataIndex: 'mobile' },
                { title: t('homeBranch'), dataIndex: 'branchId' },
                { title: t('cards'), render: (_, c) => c.accounts.map((a) => <div key={a.id} className="fg-mono">{a.cardNumber}</div>) },
                { title: t('actions'), render: (_, c) => <Button type="link" onClick={() => void choose(c)} data-testid={`choose-${c.id}`}>{t('choose')}</Button> },
              ]}
            />
          )}
        </div>
      )}

      {step === 1 && customer && (
        <Form layout="vertical" style={{ maxWidth: 640 }} onFinish={() => setStep(2)}>
          <Descriptions size="small" bordered column={2} style={{ marginBottom: 16 }} items={[
            { key: 'id', label: t('customerId'), children: customer.id },
            { key: 'name', label: t('name'), children: customer.name },
          ]} />
          <Form.Item label={t('purpose')} required>
            <Select
              value={purposeId}
              onChange={(v) => { setPurposeId(v); setReference(''); setCodeSentTo(null); setUnmask([]); }}
              options={purposes.map((p) => ({ value: p.id, label: pick(p.label, i18n.language) }))}
              data-testid="purpose"
            />
          </Form.Item>
          {purpose?.referenceKind === 'counter_code' ? (
            <>
              <Form.Item>
                <Button onClick={() => void sendCode()} data-testid="send-code">{t('sendCode')}</Button>
                {codeSentTo && <Typography.Text type="success" style={{ marginLeft: 12 }}>{t('codeSentTo', { to: codeSentTo })}</Typography.Text>}
              </Form.Item>
              <Form.Item label={t('customerCode')} required>
                <Input value={code} onChange={(e) => setCode(e.target.value.replace(/\D/g, '').slice(0, 6))} inputMode="numeric" maxLength={6} style={{ width: 160 }} disabled={!codeSentTo} data-testid="counter-code" />
              </Form.Item>
            </>
          ) : (
            <Form.Item label={t('reference')} required extra={referenceOptions.length === 0 ? t('noTickets') : undefined}>
              <AutoComplete
                value={reference}
                onChange={setReference}
                options={referenceOptions}
                placeholder={purpose?.referenceKind === 'ticket' ? t('ticket') : t('referenceManual')}
                data-testid="reference"
              />
            </Form.Item>
          )}
          <Space>
            <Button onClick={() => setStep(0)}>{t('back')}</Button>
            <Button type="primary" htmlType="submit" disabled={!referenceReady}>{t('next')}</Button>
          </Space>
        </Form>
      )}

      {step === 2 && customer && (
        <Form layout="vertical" style={{ maxWidth: 640 }} onFinish={() => void submit()}>
          <Form.Item label={t('period')} required>
            <DatePicker.RangePicker
              value={range}
              allowClear={false}
              onChange={(v) => { if (v?.[0] && v[1]) setRange([v[0], v[1]]); }}
              disabledDate={(d) => d.isAfter(dayjs())}
            />
          </Form.Item>
          <Form.Item label={t('output')}>
            {/* The gateway releases no PDF until the marking capability fingerprints it: offer it, disabled, with why. */}
            <Radio.Group value={output} onChange={(e) => setOutput(e.target.value)} optionType="button"
              options={OUTPUTS.map((o) => ({ value: o, label: t(`out${o[0]!.toUpperCase()}${o.slice(1)}`), disabled: o === 'pdf', title: o === 'pdf' ? t('outPdfLater') : undefined }))} />
          </Form.Item>
          {purpose && purpose.unlocks.length > 0 && (
            <Form.Item label={t('unmask')}>
              <Checkbox.Group value={unmask} onChange={(v) => setUnmask(v as string[])} options={purpose.unlocks.map((f) => ({ value: f, label: t(`f_${f}`) }))} />
            </Form.Item>
          )}
          <Form.Item label={t('breakGlass')} extra={t('breakGlassHelp')}>
            <Switch checked={breakGlass} onChange={setBreakGlass} aria-label={t('breakGlass')} />
          </Form.Item>
          {breakGlass && (
            <Form.Item label={t('justification')} required>
              <Input.TextArea rows={3} value={justification} onChange={(e) => setJustification(e.target.value)} maxLength={2000} showCount />
            </Form.Item>
          )}
          <Space>
            <Button onClick={() => setStep(1)}>{t('back')}</Button>
            <Button type="primary" htmlType="submit" loading={busy} disabled={breakGlass && justification.trim().length < 20} data-testid="submit-request">{t('submit')}</Button>
          </Space>
        </Form>
      )}

      {step === 3 && decision && (
        <div>
          <DecisionResult decision={decision} />
          <LegalWarning decision={decision} onDone={() => navigate(`/console/statement/${encodeURIComponent(decision.id)}`)} />
        </div>
      )}

      {step === 4 && decision && (
        <DecisionResult
          decision={decision}
          extra={<Space><Button type="primary" onClick={reset}>{t('newRequest')}</Button><Button onClick={() => navigate('/console/requests')}>{t('toMine')}</Button></Space>}
        />
      )}
      {step > 0 && step < 3 && customer && <Tag style={{ marginTop: 16 }}>{customer.id} {customer.name}</Tag>}
    </div>
  );
}
