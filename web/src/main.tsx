import { StrictMode, Suspense, lazy } from 'react';
import { createRoot } from 'react-dom/client';
import { App as AntApp, ConfigProvider, Spin } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import { useTranslation } from 'react-i18next';
import './i18n';
import './styles.css';
import { usePath } from './router';

const ConsoleApp = lazy(() => import('./console/ConsoleApp'));
const PortalApp = lazy(() => import('./portal/PortalApp'));

/** The per-response nonce the server wrote into the page; Ant Design puts it on its <style> elements. */
const nonce = document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content ?? '';

/**
 * One style element escapes ConfigProvider's nonce: the scrollbar measurement rule that
 * @rc-component/util's getScrollBarSize appends without a `csp` option. Give exactly that rule the
 * nonce (matched by its generated id) rather than loosening the page's policy.
 */
const appendChild = Node.prototype.appendChild;
Node.prototype.appendChild = function <T extends Node>(this: Node, node: T): T {
  if (node instanceof HTMLStyleElement && !node.nonce && /^\s*#rc-scrollbar-measure-[a-z0-9]+::-webkit-scrollbar\s*\{[^}]*\}\s*$/.test(node.textContent ?? '')) node.nonce = nonce;
  return appendChild.call(this, node) as T;
};

function Root() {
  const path = usePath();
  const { i18n } = useTranslation();
  const portal = path === '/portal' || path.startsWith('/portal/');
  return (
    <ConfigProvider
      csp={{ nonce }}
      locale={i18n.language.startsWith('en') ? enUS : zhCN}
      theme={{ token: { colorPrimary: portal ? '#b8292f' : '#1d4e89', borderRadius: 4, fontFamily: '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif' } }}
    >
      <AntApp>
        <Suspense fallback={<div className="fg-center"><Spin size="large" /></div>}>
          {portal ? <PortalApp /> : <ConsoleApp />}
        </Suspense>
      </AntApp>
    </ConfigProvider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
