/** Loading, empty and error states shared by every screen. */
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { Alert, Button, Empty, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from './api';

export function errorText(error: unknown, t: (k: string) => string): string {
  if (error instanceof ApiError) {
    if (error.code === 'network') return t('networkError');
    return error.message || t('genericError');
  }
  return t('genericError');
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  return (
    <Alert
      type="error"
      showIcon
      title={t('genericError')}
      description={errorText(error, t)}
      action={onRetry ? <Button size="small" onClick={onRetry}>{t('retry')}</Button> : undefined}
    />
  );
}

/**
 * Loads `load()` on mount (and on `reload()` or a change of `deps`), exposing data, error and
 * loading. Only the latest load's answer is kept: switching quickly (24 h → 7 d → 30 d) never leaves
 * an earlier, slower answer on screen under the new choice.
 */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[] = []) {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const latest = useRef(0);
  const reload = useCallback(() => {
    const call = ++latest.current;
    setState((s) => ({ ...s, loading: true, error: undefined }));
    load().then(
      (data) => { if (call === latest.current) setState({ data, loading: false }); },
      (error: unknown) => { if (call === latest.current) setState({ error, loading: false }); },
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  useEffect(reload, [reload]);
  return { ...state, reload };
}

/** Renders loading, error and empty states around `children(data)`. */
export function Loaded<T>({ state, empty, children }: { state: { data?: T; error?: unknown; loading: boolean; reload: () => void }; empty?: (d: T) => boolean; children: (data: T) => ReactNode }) {
  const { t } = useTranslation();
  if (state.error) return <ErrorState error={state.error} onRetry={state.reload} />;
  if (state.data === undefined) return <div className="fg-center"><Spin description={t("loading")}><div style={{ padding: 40 }} /></Spin></div>;
  if (empty?.(state.data)) return <Empty description={t('empty')} />;
  return <>{children(state.data)}</>;
}
