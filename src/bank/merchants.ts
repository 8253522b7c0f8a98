/**
 * Who is on the other side of a demo transaction: merchants, payment institutions, utilities and
 * employers, as they appear on a mainland Chinese statement (对方户名).
 */
import type { City } from './names.ts';
import { Weighted, type Random } from './prng.ts';

/** Machine-readable transaction categories (the description is the human, Chinese text). */
export type Category =
  | 'salary' | 'rent' | 'mortgage' | 'utilities' | 'telecom' | 'dining' | 'groceries' | 'shopping'
  | 'transport' | 'fuel' | 'travel' | 'entertainment' | 'transfer_in' | 'transfer_out' | 'cash_withdrawal'
  | 'cash_deposit' | 'interest' | 'wealth' | 'card_repayment' | 'refund' | 'fee';

/**
 * Channels (交易渠道). '批量' is the core system's batch posting (payroll, interest, direct debits),
 * which real statements show alongside the customer-facing channels.
 */
export const CHANNELS = ['柜面', '手机银行', '网银', 'ATM', 'POS', '快捷支付', '批量'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface Merchant {
  /** Shown in the description: "消费 星巴克", "财付通-美团外卖". */
  brand: string;
  /** The merchant's registered name, the counterparty of a card (POS) payment. */
  legalName: string;
  category: Category;
  /** Typical ticket in yuan. */
  min: number;
  max: number;
  /** How customers pay: through a payment app (快捷支付), at a terminal (POS), or both. */
  pay: 'online' | 'pos' | 'both';
  /** Payment apps the merchant takes, when not all: Alibaba's platforms take only Alipay. */
  apps?: Weighted<PaymentApp>;
}

export interface PaymentApp {
  /** Prefix of the statement description: "支付宝-盒马鲜生". */
  label: string;
  legalName: string;
}

const TENPAY: PaymentApp = { label: '财付通', legalName: '财付通支付科技有限公司' };
const ALIPAY: PaymentApp = { label: '支付宝', legalName: '支付宝（中国）网络技术有限公司' };
const JDPAY: PaymentApp = { label: '京东支付', legalName: '网银在线（北京）科技有限公司' };

/** Payment institutions behind 快捷支付: the counterparty a statement shows for app payments. */
export const PAYMENT_APPS = new Weighted<PaymentApp>([[TENPAY, 5], [ALIPAY, 5], [JDPAY, 1]]);
const ALIPAY_ONLY = new Weighted<PaymentApp>([[ALIPAY, 1]]);
const NOT_ALIPAY = new Weighted<PaymentApp>([[TENPAY, 3], [JDPAY, 2]]);

const MERCHANT_TABLE: ReadonlyArray<readonly [Merchant, number]> = [
  [{ brand: '美团外卖', legalName: '北京三快在线科技有限公司', category: 'dining', min: 18, max: 120, pay: 'online' }, 14],
  [{ brand: '饿了么', legalName: '上海拉扎斯信息科技有限公司', category: 'dining', min: 18, max: 100, pay: 'online', apps: ALIPAY_ONLY }, 6],
  [{ brand: '京东商城', legalName: '北京京东世纪贸易有限公司', category: 'shopping', min: 30, max: 3000, pay: 'online', apps: NOT_ALIPAY }, 7],
  [{ brand: '淘宝', legalName: '浙江淘宝网络有限公司', category: 'shopping', min: 15, max: 800, pay: 'online', apps: ALIPAY_ONLY }, 8],
  [{ brand: '天猫', legalName: '浙江天猫网络有限公司', category: 'shopping', min: 30, max: 2000, pay: 'online', apps: ALIPAY_ONLY }, 4],
  [{ brand: '拼多多', legalName: '上海寻梦信息技术有限公司', category: 'shopping', min: 8, max: 300, pay: 'online' }, 5],
  [{ brand: '盒马鲜生', legalName: '盒马（中国）有限公司', category: 'groceries', min: 30, max: 400, pay: 'both', apps: ALIPAY_ONLY }, 6],
  [{ brand: '叮咚买菜', legalName: '上海壹佰米网络科技有限公司', category: 'groceries', min: 30, max: 200, pay: 'online' }, 3],
  [{ brand: '永辉超市', legalName: '永辉超市股份有限公司', category: 'groceries', min: 20, max: 500, pay: 'pos' }, 4],
  [{ brand: '华润万家', legalName: '华润万家有限公司', category: 'groceries', min: 30, max: 400, pay: 'pos' }, 2],
  [{ brand: '沃尔玛', legalName: '沃尔玛（中国）投资有限公司', category: 'groceries', min: 50, max: 600, pay: 'pos' }, 2],
  [{ brand: '全家便利店', legalName: '上海福满家便利有限公司', category: 'groceries', min: 8, max: 60, pay: 'both' }, 4],
  [{ brand: '星巴克', legalName: '上海星巴克咖啡经营有限公司', category: 'dining', min: 28, max: 80, pay: 'both' }, 5],
  [{ brand: '瑞幸咖啡', legalName: '瑞幸咖啡（中国）有限公司', category: 'dining', min: 9, max: 40, pay: 'online' }, 5],
  [{ brand: '肯德基', legalName: '上海肯德基有限公司', category: 'dining', min: 25, max: 120, pay: 'both' }, 3],
  [{ brand: '麦当劳', legalName: '金拱门（中国）有限公司', category: 'dining', min: 20, max: 100, pay: 'both' }, 3],
  [{ brand: '海底捞', legalName: '四川海底捞餐饮股份有限公司', category: 'dining', min: 150, max: 800, pay: 'pos' }, 1.5],
  [{ brand: '滴滴出行', legalName: '北京小桔科技有限公司', category: 'transport', min: 12, max: 120, pay: 'online' }, 6],
  [{ brand: '中国石化', legalName: '中国石油化工股份有限公司', category: 'fuel', min: 200, max: 600, pay: 'pos' }, 2.5],
  [{ brand: '中国石油', legalName: '中国石油天然气股份有限公司', category: 'fuel', min: 200, max: 600, pay: 'pos' }, 1.5],
  [{ brand: '携程旅行', legalName: '上海携程商务有限公司', category: 'travel', min: 300, max: 5000, pay: 'online' }, 1],
  [{ brand: '中国铁路12306', legalName: '中国铁路网络有限公司', category: 'travel', min: 50, max: 1200, pay: 'online' }, 1.5],
  [{ brand: '屈臣氏', legalName: '广州屈臣氏个人用品商店有限公司', category: 'shopping', min: 30, max: 300, pay: 'pos' }, 1.5],
  [{ brand: '优衣库', legalName: '迅销（中国）商贸有限公司', category: 'shopping', min: 79, max: 800, pay: 'both' }, 1.5],
  [{ brand: '猫眼电影', legalName: '北京猫眼文化传媒有限公司', category: 'entertainment', min: 35, max: 150, pay: 'online' }, 1],
];

export const MERCHANTS = new Weighted<Merchant>(MERCHANT_TABLE);


export interface Utilities {
  electricity: string;
  water: string;
  gas: string;
}

/** The utility companies a household in each city pays. */
export const UTILITIES: Readonly<Record<City, Utilities>> = {
  上海: { electricity: '国网上海市电力公司', water: '上海城投水务（集团）有限公司', gas: '上海燃气有限公司' },
  北京: { electricity: '国网北京市电力公司', water: '北京市自来水集团有限责任公司', gas: '北京市燃气集团有限责任公司' },
  深圳: { electricity: '深圳供电局有限公司', water: '深圳市水务（集团）有限公司', gas: '深圳市燃气集团股份有限公司' },
  杭州: { electricity: '国网浙江省电力有限公司杭州供电公司', water: '杭州市水务集团有限公司', gas: '杭州市燃气集团有限公司' },
  南京: { electricity: '国网江苏省电力有限公司南京供电分公司', water: '南京水务集团有限公司', gas: '南京港华燃气有限公司' },
  成都: { electricity: '国网四川省电力公司成都供电公司', water: '成都市自来水有限责任公司', gas: '成都城市燃气有限责任公司' },
  武汉: { electricity: '国网湖北省电力有限公司武汉供电公司', water: '武汉市水务集团有限公司', gas: '武汉市燃气集团有限公司' },
};

export const TELECOMS = ['中国移动通信集团', '中国联合网络通信集团', '中国电信集团'] as const;

const EMPLOYER_BRANDS = [
  '瑞丰', '华信', '中联', '恒达', '鼎盛', '博远', '汇通', '金桥', '新元', '启明', '天元', '宏图', '嘉和', '东海',
  '泰合', '联创', '众诚', '盛世', '海纳', '卓越',
] as const;
const EMPLOYER_TRADES = [
  '科技有限公司', '贸易有限公司', '建设工程有限公司', '医药股份有限公司', '物流有限公司', '文化传媒有限公司',
  '电子科技有限公司', '管理咨询有限公司', '投资管理有限公司', '餐饮管理有限公司', '信息技术股份有限公司', '汽车销售服务有限公司',
] as const;

/** A plausible (fictional) employer's registered name in a city. */
export function generateEmployerName(rng: Random, city: City): string {
  return `${city}${rng.pick(EMPLOYER_BRANDS)}${rng.pick(EMPLOYER_TRADES)}`;
}

/** A corporate settlement account number (对公账号): 16–20 digits, no check digit convention. */
export function generateCorporateAccount(rng: Random): string {
  return String(rng.int(1, 9)) + rng.digits(rng.int(15, 19));
}

/** The demo bank's wealth-management products (理财产品). */
export const WEALTH_PRODUCTS = ['稳健30天持有期理财', '安盈半年定开理财', '鑫享一年期固收理财', '现金管理类理财'] as const;
