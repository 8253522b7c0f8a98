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
 * Two fixed rules escape ConfigProvider's nonce: @rc-component/util's scrollbar measurement and the
 * scroll lock of modals and drawers, both added by `updateCSS` without a `csp` option. Exactly those
 * two rules (matched in full) get the nonce, rather than loosening the page's policy.
 */
const KNOWN_UNNONCED_RULES = [
  /^\s*#rc-scrollbar-measure-[a-z0-9]+::-webkit-scrollbar\s*\{[^}]*\}\s*$/,
  /^\s*html body \{\s*overflow-y: hidden;\s*(width: calc\(100% - [0-9.]+px\);)?\s*\}\s*$/,
];
function nonceKnownRule(node: Node): void {
  if (node instanceof HTMLStyleElement && !node.nonce && KNOWN_UNNONCED_RULES.some((r) => r.test(node.textContent ?? ''))) node.nonce = nonce;
}
const appendChild = Node.prototype.appendChild;
Node.prototype.appendChild = function <T extends Node>(this: Node, node: T): T {
  nonceKnownRule(node);
  return appendChild.call(this, node) as T;
};
const insertBefore = Node.prototype.insertBefore;
Node.prototype.insertBefore = function <T extends Node>(this: Node, node: T, child: Node | null): T {
  nonceKnownRule(node);
  return insertBefore.call(this, node, child) as T;
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
