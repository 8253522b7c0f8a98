/**
 * The verifiable log: the current signed checkpoint, its witness cosignatures, and a per-entry
 * "verify" that checks, in this browser, the entry against the public tiles and the checkpoint
 * signed by the pinned verifier key. Proof files download for offline checking.
 */
import { useEffect, useState } from 'react';
import { Alert, Button, Card, Descriptions, Input, InputNumber, Space, Steps, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { get } from '../api';
import { errorText, Loaded, useLoad } from '../common';
import { parseCheckpoint, parseVerifierKey, verifyCheckpointSignature, verifyEntry, type VerifyStep } from '../verify/tlog';

const PIN = 'fg.logVerifierKey';

async function pinnedKey(): Promise<string> {
  const saved = localStorage.getItem(PIN);
  if (saved) return saved;
  const r = await get<{ verifierKeys: string[] }>('/api/v1/oversight/log-keys');
  const key = r.verifierKeys[0];
  if (!key) throw new Error('no verifier key');
  localStorage.setItem(PIN, key);
  return key;
}

async function fetchTile(path: string): Promise<Uint8Array<ArrayBuffer>> {
  const res = await fetch(`/log/${path}`, { cache: 'no-store' });
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

export default function LogPage() {
  const { t } = useTranslation();
  const state = useLoad(async () => {
    const note = await (await fetch('/log/checkpoint', { cache: 'no-store' })).text();
    const key = await pinnedKey();
    const cp = parseCheckpoint(note);
    let signatureProblem: string | null = null;
    try { await verifyCheckpointSignature(cp, key); } catch (e) { signatureProblem = (e as Error).message; }
    return { note, key, cp, signatureProblem };
  });
  // An auditor pins the key they hold out of band (or the new one after a rotation) instead of the
  // one this server handed out on first use: a checkpoint it did not sign then shows as invalid.
  const [newKey, setNewKey] = useState<string | null>(null);
  const [keyError, setKeyError] = useState<string | null>(null);
  const pinKey = () => {
    try {
      parseVerifierKey(newKey ?? '');
    } catch {
      setKeyError(t('keyMalformed'));
      return;
    }
    localStorage.setItem(PIN, newKey!.trim());
    setNewKey(null);
    setKeyError(null);
    state.reload();
  };
  const [index, setIndex] = useState<number | null>(0);
  const [result, setResult] = useState<{ ok: boolean; steps: VerifyStep[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setResult(null), [index]);

  const verify = async () => {
    if (index === null || !state.data) return;
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const e = await get<{ entry: { base64: string }; salt: string }>(`/api/v1/log/entries/${index}`);
      const note = await (await fetch('/log/checkpoint', { cache: 'no-store' })).text();
      setResult(await verifyEntry({ index, entryB64: e.entry.base64, saltB64: e.salt, checkpointNote: note, verifierKey: state.data.key, fetchTile }));
    } catch (e) {
      setError(errorText(e, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div>
      <Typography.Title level={4} style={{ marginTop: 0 }}>{t('menuLog')}</Typography.Title>
      <Loaded state={state}>
        {({ note, key, cp, signatureProblem }) => {
          const witnesses = cp.signatures.filter((s) => s.name !== cp.origin);
          return (
            <Space orientation="vertical" style={{ width: '100%' }} size="middle">
              <Card size="small" title={t('checkpoint')} extra={signatureProblem === null ? <Tag color="success">{t('signatureValid')}</Tag> : <Tag color="error">{t('signatureInvalid')}</Tag>}>
                <Descriptions size="small" bordered column={1} items={[
                  { key: 'o', label: t('origin'), children: cp.origin },
                  { key: 's', label: t('treeSize'), children: <span data-testid="tree-size">{cp.size}</span> },
                  { key: 'r', label: t('rootHash'), children: <span className="fg-mono">{note.split('\n')[2]}</span> },
                  { key: 'w', label: t('witnesses'), children: witnesses.length ? witnesses.map((w) => <Tag key={w.name}>{w.name}</Tag>) : <Typography.Text type="secondary">{t('noWitness')}</Typography.Text> },
                  {
                    key: 'k', label: t('pinnedKey'), children: (
                      <>
                        <div className="fg-mono" data-testid="pinned-key">{key}</div>
                        <Typography.Text type="secondary">{t('pinnedKeyHelp')}</Typography.Text>
                        {newKey === null ? (
                          <div><Button size="small" type="link" style={{ paddingLeft: 0 }} onClick={() => setNewKey('')} data-testid="replace-key">{t('replaceKey')}</Button></div>
                        ) : (
                          <Space.Compact style={{ width: '100%', marginTop: 8 }}>
                            <Input value={newKey} onChange={(e) => { setNewKey(e.target.value); setKeyError(null); }} placeholder={t('keyInputHelp')} aria-label={t('replaceKey')} status={keyError ? 'error' : undefined} data-testid="key-input" />
                            <Button type="primary" onClick={pinKey} data-testid="save-key">{t('pinThisKey')}</Button>
                            <Button onClick={() => { setNewKey(null); setKeyError(null); }}>{t('cancel')}</Button>
                          </Space.Compact>
                        )}
                        {keyError && <Typography.Text type="danger" data-testid="key-error">{keyError}</Typography.Text>}
                      </>
                    ),
                  },
                ]} />
                {signatureProblem && <Alert style={{ marginTop: 12 }} type="error" showIcon title={t('signatureInvalid')} description={signatureProblem} data-testid="signature-problem" />}
                <pre className="fg-pre" style={{ marginTop: 12 }}>{note}</pre>
              </Card>
              <Card size="small" title={t('verify')}>
                <Space wrap>
                  <span>{t('entryIndex')}</span>
                  <InputNumber min={0} max={Math.max(0, cp.size - 1)} value={index} onChange={(v) => setIndex(v)} aria-label={t('entryIndex')} data-testid="entry-index" />
                  <Button type="primary" loading={busy} onClick={() => void verify()} data-testid="verify">{t('verify')}</Button>
                  <Button href={index === null ? undefined : `/api/v1/log/entries/${index}/proof`} download>{t('downloadProof')}</Button>
                </Space>
                {error && <Alert style={{ marginTop: 12 }} type="error" showIcon title={error} />}
                {result && (
                  <div style={{ marginTop: 16 }} data-testid={result.ok ? 'verify-ok' : 'verify-fail'}>
                    <Alert type={result.ok ? 'success' : 'error'} showIcon title={result.ok ? t('verifyOk') : t('verifyFail')} description={result.ok ? undefined : result.steps.at(-1)?.detail} />
                    <Steps
                      orientation="vertical"
                      size="small"
                      style={{ marginTop: 12 }}
                      items={result.steps.map((s) => ({ title: s.name, status: s.ok ? 'finish' : 'error', content: <span className="fg-mono">{s.detail}</span> }))}
                    />
                  </div>
                )}
              </Card>
            </Space>
          );
        }}
      </Loaded>
    </div>
  );
}
