/**
 * Runtime configuration, from the environment with defaults fit for the demo. Secrets come only
 * from the environment; nothing here is a secret.
 */
import { randomBytes } from 'node:crypto';
import { DEFAULT_DB_URL } from './store/database.ts';
import { loadLogConfig, type LogConfig } from './audit/log/log-config.ts';
import { loadSourceConfig, type SourceConfig } from './bank/sources/source-config.ts';

export interface LegalWarning { version: string; zh: string; en: string }

export interface OidcConfig { issuer: string; audience: string; jwksUrl: string; usernameClaim: string }

export interface Config {
  dbUrl: string;
  host: string;
  port: number;
  /** Cookies are Secure unless explicitly turned off for plain-HTTP local demos and tests. */
  secureCookies: boolean;
  /** Bank local time zone: quotas count per local day and off-hours rules use local time. */
  timeZone: string;
  approvalTtlHours: number;
  /** How long an allowed (not approved) statement request can be read. */
  releaseTtlMinutes: number;
  codeTtlSeconds: number;
  codeMaxAttempts: number;
  sessionTtlHours: number;
  /** Longest statement period a request may ask for, in days (5 years). */
  maxPeriodDays: number;
  oidc: OidcConfig | null;
  legalWarning: LegalWarning;
  /**
   * Signs device cookies (src/identity/device-cookie.ts). From FLOWGUARD_DEVICE_SECRET; without it a
   * random secret per process, fit for the demo only: browsers are trusted devices until a restart.
   */
  deviceSecret: string;
  /** pino's level for the server log (FLOWGUARD_LOG_LEVEL). */
  logLevel: string;
  /**
   * How often each node asks whether the settings under maker-checker changed (a change applied on
   * another node), and reloads them if so (FLOWGUARD_SETTINGS_POLL_MS; src/access/settings.ts).
   */
  settingsPollMs: number;
  /** The verifiable log's configuration (FLOWGUARD_LOG_*), read once with the rest. */
  log: LogConfig;
  /** Where statements come from (FLOWGUARD_SOURCE_*; src/bank/sources/README.md). */
  source: SourceConfig;
}

/** Two seconds: a change applied on one node is in force on every node within about that (issue 10 item 9). */
const DEFAULT_SETTINGS_POLL_MS = 2000;

function settingsPollMsFrom(env: NodeJS.ProcessEnv): number {
  const value = env.FLOWGUARD_SETTINGS_POLL_MS;
  if (value === undefined || value === '') return DEFAULT_SETTINGS_POLL_MS;
  const ms = Number(value);
  // Below 100 ms the poll would be most of the database's work on an idle node.
  if (!Number.isSafeInteger(ms) || ms < 100) throw new Error(`FLOWGUARD_SETTINGS_POLL_MS must be a whole number of milliseconds, at least 100, not "${value}".`);
  return ms;
}

/** An HMAC-SHA256 key shorter than 32 bytes is weaker than the hash (RFC 2104 §3). */
const MIN_DEVICE_SECRET_LENGTH = 32;

function deviceSecretFrom(env: NodeJS.ProcessEnv): string {
  const secret = env.FLOWGUARD_DEVICE_SECRET;
  if (secret === undefined || secret === '') return randomBytes(32).toString('base64url');
  if (secret.length < MIN_DEVICE_SECRET_LENGTH) {
    throw new Error(`FLOWGUARD_DEVICE_SECRET must be at least ${MIN_DEVICE_SECRET_LENGTH} characters; generate one with: openssl rand -base64 32`);
  }
  return secret;
}

export const DEFAULT_LEGAL_WARNING: LegalWarning = {
  version: '2026-11',
  zh:
    '法律风险警示：您即将查看客户个人银行流水，属于敏感个人信息（《个人信息保护法》第二十八条）。' +
    '仅限本次申请所述业务目的使用，不得截屏、拍照、复制、转发或向任何第三方提供。' +
    '违反国家有关规定，向他人出售或者提供公民个人信息，或者将在履行职责、提供服务过程中获得的公民个人信息出售或提供给他人，' +
    '依照《中华人民共和国刑法》第二百五十三条之一从重处罚；本行将依规追究责任。本次访问已记录并可追溯至您本人。',
  en:
    'Legal risk warning: you are about to view a customer\'s bank statement, which is sensitive personal information ' +
    '(PIPL Art. 28). Use it only for the purpose stated in this request; do not screenshot, photograph, copy, forward ' +
    'or give it to anyone. Selling or providing personal information obtained in the course of duties is punished ' +
    'more heavily under Article 253-1 of the Criminal Law, and the bank\'s rules will be enforced. This access is ' +
    'recorded and traceable to you.',
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const oidc = env.FLOWGUARD_OIDC_JWKS_URL
    ? {
        issuer: env.FLOWGUARD_OIDC_ISSUER ?? '',
        audience: env.FLOWGUARD_OIDC_AUDIENCE ?? 'flowguard',
        jwksUrl: env.FLOWGUARD_OIDC_JWKS_URL,
        usernameClaim: env.FLOWGUARD_OIDC_USERNAME_CLAIM ?? 'preferred_username',
      }
    : null;
  return {
    dbUrl: env.FLOWGUARD_DB ?? DEFAULT_DB_URL,
    host: env.FLOWGUARD_HOST ?? '127.0.0.1',
    port: Number(env.FLOWGUARD_PORT ?? 8080),
    secureCookies: env.FLOWGUARD_INSECURE_COOKIES !== '1',
    timeZone: env.FLOWGUARD_TIME_ZONE ?? 'Asia/Shanghai',
    approvalTtlHours: 12,
    releaseTtlMinutes: 60,
    codeTtlSeconds: 300,
    codeMaxAttempts: 5,
    sessionTtlHours: 8,
    maxPeriodDays: 5 * 366,
    oidc,
    legalWarning: DEFAULT_LEGAL_WARNING,
    deviceSecret: deviceSecretFrom(env),
    logLevel: env.FLOWGUARD_LOG_LEVEL ?? 'info',
    settingsPollMs: settingsPollMsFrom(env),
    log: loadLogConfig(env),
    source: loadSourceConfig(env),
    ...overrides,
  };
}
