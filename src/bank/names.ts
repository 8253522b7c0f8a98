/**
 * Realistic Chinese personal data for synthetic customers and staff: names, mobile numbers, addresses.
 *
 * Surname weights follow the 2020 census ranking (王 7.1 %, 李 7.0 %, 张 6.7 % …). Compound surnames,
 * Uyghur names written with a middle dot (U+00B7, as on resident identity cards), Tibetan names
 * without a surname and characters outside the Basic Multilingual Plane (𠮷) are deliberately more
 * common than in life, so that a demo bank of a few thousand customers exercises every code path
 * that handles names: masking, search, PDFs and OCR.
 */
import { Weighted, type Random } from './prng.ts';

export type Sex = 'male' | 'female';

export interface PersonName {
  /** The name as written on the identity card. */
  full: string;
  /** The family name, or null for names without one (Uyghur, Tibetan). */
  surname: string | null;
  sex: Sex;
  /** The style of the name, which decides how relatives are named. */
  style: 'han' | 'uyghur' | 'tibetan';
}

/** Single-character surnames, weight in ‱ of the population (2020 census, rounded). */
const SINGLE_SURNAMES: ReadonlyArray<readonly [string, number]> = [
  ['王', 710], ['李', 700], ['张', 670], ['刘', 540], ['陈', 450], ['杨', 310], ['黄', 240], ['赵', 230],
  ['吴', 200], ['周', 190], ['徐', 160], ['孙', 150], ['马', 140], ['朱', 130], ['胡', 130], ['郭', 120],
  ['何', 110], ['林', 110], ['高', 110], ['罗', 100], ['郑', 90], ['梁', 90], ['谢', 80], ['宋', 70],
  ['唐', 70], ['许', 70], ['韩', 60], ['邓', 60], ['冯', 60], ['曹', 60], ['彭', 60], ['曾', 50],
  ['肖', 50], ['田', 50], ['董', 50], ['潘', 40], ['袁', 40], ['蔡', 40], ['蒋', 40], ['余', 40],
  ['于', 40], ['杜', 40], ['叶', 40], ['程', 40], ['魏', 30], ['苏', 30], ['吕', 30], ['丁', 30],
  ['任', 30], ['卢', 30], ['姚', 30], ['沈', 30], ['钟', 30], ['姜', 30], ['崔', 30], ['谭', 30],
  ['陆', 30], ['范', 20], ['汪', 20], ['廖', 20], ['石', 20], ['金', 20], ['韦', 20], ['贾', 20],
  ['夏', 20], ['付', 20], ['方', 20], ['邹', 20], ['熊', 20], ['白', 20], ['孟', 20], ['秦', 20],
  ['邱', 20], ['侯', 20], ['江', 20], ['尹', 20], ['薛', 20], ['闫', 20], ['段', 20], ['雷', 20],
  ['龙', 10], ['黎', 10], ['史', 10], ['陶', 10], ['贺', 10], ['毛', 10], ['郝', 10], ['顾', 10],
  ['龚', 10], ['邵', 10], ['万', 10], ['覃', 10], ['武', 10], ['钱', 10], ['戴', 10], ['严', 10],
  ['莫', 10], ['孔', 10], ['向', 10], ['常', 10], ['汤', 10], ['康', 10], ['易', 10], ['乔', 10],
  ['赖', 10], ['文', 10], ['岳', 8], ['齐', 8], ['温', 8], ['庞', 6], ['聂', 6], ['章', 6],
  ['葛', 6], ['鲁', 5], ['伍', 5], ['牛', 5],
  // 𠮷 (U+20BB7, a variant of 吉) is a real surname and a classic encoding trap: two UTF-16 units.
  ['𠮷', 3],
];

/** Compound surnames (复姓): about 1 % here, far more than in life, so the demo shows them. */
export const COMPOUND_SURNAMES = [
  '欧阳', '司马', '诸葛', '上官', '慕容', '东方', '皇甫', '令狐', '夏侯', '尉迟', '公孙', '长孙', '宇文', '司徒', '端木',
] as const;

const SURNAMES = new Weighted<string>([
  ...SINGLE_SURNAMES,
  ...COMPOUND_SURNAMES.map((s) => [s, 6] as const),
]);

const MALE_CHARS = [
  '伟', '强', '磊', '军', '洋', '勇', '杰', '涛', '明', '超', '刚', '平', '辉', '鹏', '华', '飞', '鑫', '波',
  '斌', '宇', '浩', '凯', '健', '俊', '帆', '旭', '宁', '龙', '林', '阳', '建', '国', '志', '文', '博', '天',
  '成', '峰', '亮', '东', '海', '晨', '睿', '泽', '轩', '毅', '嘉', '豪', '昊', '然', '川', '远',
] as const;
const FEMALE_CHARS = [
  '芳', '娜', '敏', '静', '丽', '艳', '娟', '霞', '秀', '英', '燕', '玲', '桂', '兰', '萍', '红', '玉', '梅',
  '琳', '雪', '婷', '慧', '颖', '琪', '欣', '怡', '佳', '悦', '涵', '梓', '萱', '晨', '雨', '思', '诗', '瑶',
  '婉', '倩', '璐', '蕾', '薇', '洁', '莉', '月', '晓', '彤', '妍', '可',
] as const;
/** Whole given names that are common as a unit (建国, 秀英, 子涵 …). */
const MALE_GIVEN = ['建国', '建华', '志强', '国华', '浩然', '子轩', '宇轩', '一鸣', '俊杰', '明辉', '文博', '家豪'] as const;
const FEMALE_GIVEN = ['秀英', '桂英', '秀兰', '玉兰', '子涵', '梓萱', '欣怡', '一诺', '雨桐', '诗涵', '思琪', '佳怡'] as const;
/** Rare characters that break naive fonts, input methods and GBK conversions. */
export const RARE_CHARACTERS = ['堃', '喆', '赟', '玥', '彧', '翀', '珺', '昇', '淼', '犇', '垚', '燚', '禛', '𠮷'] as const;

/** Uyghur names: personal name · father's name (GB: 维吾尔族姓名以间隔号分隔). */
const UYGHUR_MALE = ['买买提', '艾力', '阿不都热合曼', '艾尔肯', '伊力哈木', '努尔买买提', '吐尔逊', '阿迪力', '艾山', '库尔班'] as const;
const UYGHUR_FEMALE = ['阿依古丽', '古丽娜尔', '热依拉', '迪丽娜尔', '帕提古丽', '米娜瓦尔', '努尔古丽', '阿依努尔'] as const;
const UYGHUR_FATHER = ['艾力', '吐尔逊', '买买提', '阿不都', '热合曼', '艾买提', '库尔班', '依明', '司马义', '玉素甫'] as const;
/** Tibetan names have no surname. */
const TIBETAN_MALE = ['扎西顿珠', '次仁多吉', '达瓦次仁', '洛桑丹增', '索朗旺堆'] as const;
const TIBETAN_FEMALE = ['次仁卓玛', '格桑梅朵', '央金拉姆', '德吉央宗', '白玛曲珍'] as const;

/** Share of names that are Uyghur and Tibetan (inflated for the demo, see the file comment). */
const UYGHUR_SHARE = 0.006;
const TIBETAN_SHARE = 0.002;

function givenChar(rng: Random, sex: Sex): string {
  if (rng.chance(0.01)) return rng.pick(RARE_CHARACTERS);
  return rng.pick(sex === 'male' ? MALE_CHARS : FEMALE_CHARS);
}

/** A Han given name of one or two characters. */
export function generateGivenName(rng: Random, sex: Sex): string {
  const r = rng.next();
  if (r < 0.28) return givenChar(rng, sex);
  if (r < 0.4) return rng.pick(sex === 'male' ? MALE_GIVEN : FEMALE_GIVEN);
  return givenChar(rng, sex) + givenChar(rng, sex);
}

/** A realistic name for a person of the given sex. */
export function generateName(rng: Random, sex: Sex): PersonName {
  const r = rng.next();
  if (r < UYGHUR_SHARE) return uyghurName(rng, sex, rng.pick(UYGHUR_FATHER));
  if (r < UYGHUR_SHARE + TIBETAN_SHARE) {
    return { full: rng.pick(sex === 'male' ? TIBETAN_MALE : TIBETAN_FEMALE), surname: null, sex, style: 'tibetan' };
  }
  const surname = SURNAMES.pick(rng);
  return { full: surname + generateGivenName(rng, sex), surname, sex, style: 'han' };
}

function uyghurName(rng: Random, sex: Sex, father: string): PersonName {
  const own = rng.pick(sex === 'male' ? UYGHUR_MALE : UYGHUR_FEMALE);
  return { full: `${own}·${father}`, surname: null, sex, style: 'uyghur' };
}

/**
 * A name for a relative who shares the family name: the same surname for Han names, the same
 * father's name for Uyghur siblings or the father's personal name for a Uyghur child.
 */
export function generateRelativeName(rng: Random, of: PersonName, sex: Sex): PersonName {
  if (of.style === 'han' && of.surname) return { full: of.surname + generateGivenName(rng, sex), surname: of.surname, sex, style: 'han' };
  if (of.style === 'uyghur') return uyghurName(rng, sex, of.full.split('·')[1] ?? rng.pick(UYGHUR_FATHER));
  return generateName(rng, sex);
}

/** Mobile number segments of China Mobile, China Unicom, China Telecom and China Broadnet (1[3-9]x). */
const MOBILE_PREFIXES = [
  '130', '131', '132', '133', '134', '135', '136', '137', '138', '139', '145', '147', '150', '151', '152', '153',
  '155', '156', '157', '158', '159', '166', '172', '173', '175', '176', '177', '178', '180', '181', '182', '183',
  '184', '185', '186', '187', '188', '189', '191', '192', '193', '195', '196', '197', '198', '199',
] as const;

/** An 11-digit mainland mobile number. */
export function generateMobile(rng: Random): string {
  return rng.pick(MOBILE_PREFIXES) + rng.digits(8);
}

export type City = '上海' | '北京' | '深圳' | '杭州' | '南京' | '成都' | '武汉';

interface CityPlaces {
  /** What precedes the district: "上海市", "广东省深圳市". */
  prefix: string;
  districts: Readonly<Record<string, readonly string[]>>;
  /** House number format: Shanghai lanes (弄), Beijing compounds (号院), Hangzhou blocks (幢) … */
  style: 'lane' | 'compound' | 'estate' | 'block';
}

const PLACES: Readonly<Record<City, CityPlaces>> = {
  上海: {
    prefix: '上海市',
    style: 'lane',
    districts: {
      浦东新区: ['世纪大道', '张杨路', '东方路', '浦东南路', '峨山路', '锦绣路', '杨高中路'],
      徐汇区: ['漕溪北路', '肇嘉浜路', '天钥桥路', '衡山路', '宜山路', '虹桥路'],
      长宁区: ['延安西路', '仙霞路', '天山路', '古北路', '遵义路'],
      静安区: ['南京西路', '威海路', '北京西路', '延平路', '共和新路'],
      黄浦区: ['淮海中路', '西藏中路', '河南南路', '复兴中路', '中山南路'],
      杨浦区: ['国权路', '淞沪路', '控江路', '长阳路', '黄兴路'],
      闵行区: ['七莘路', '沪闵路', '莘庄路', '虹井路'],
    },
  },
  北京: {
    prefix: '北京市',
    style: 'compound',
    districts: {
      朝阳区: ['建国路', '朝阳北路', '望京街', '东三环中路', '光华路', '安立路'],
      海淀区: ['中关村大街', '学院路', '北四环西路', '知春路', '西三环北路'],
      西城区: ['金融大街', '西直门外大街', '阜成门内大街', '月坛北街'],
      东城区: ['东直门南大街', '朝阳门北大街', '东四十条'],
      丰台区: ['丰台北路', '南三环西路', '方庄路'],
    },
  },
  深圳: {
    prefix: '广东省深圳市',
    style: 'estate',
    districts: {
      福田区: ['深南大道', '福华路', '益田路', '彩田路', '香蜜湖路'],
      南山区: ['科技园南路', '南海大道', '后海大道', '望海路', '沙河西路'],
      罗湖区: ['人民南路', '东门中路', '宝安南路'],
      宝安区: ['宝安大道', '新安六路', '创业一路'],
      龙岗区: ['龙岗大道', '龙翔大道'],
    },
  },
  杭州: {
    prefix: '浙江省杭州市',
    style: 'block',
    districts: {
      西湖区: ['文三路', '天目山路', '教工路', '古墩路', '文一西路'],
      上城区: ['解放路', '延安路', '庆春路', '钱江路'],
      拱墅区: ['莫干山路', '湖墅南路', '大关路'],
      滨江区: ['江南大道', '滨盛路', '网商路'],
      余杭区: ['五常大道', '文一西路'],
    },
  },
  南京: { prefix: '江苏省南京市', style: 'block', districts: { 鼓楼区: ['中山北路', '北京西路'], 玄武区: ['珠江路', '中山路'] } },
  成都: { prefix: '四川省成都市', style: 'block', districts: { 武侯区: ['人民南路四段', '科华北路'], 锦江区: ['春熙路', '东大街'] } },
  武汉: { prefix: '湖北省武汉市', style: 'block', districts: { 武昌区: ['中南路', '中北路'], 洪山区: ['珞喻路', '鲁磨路'] } },
};

const ESTATES = ['香蜜湖花园', '海月花园', '桃源村', '蔚蓝海岸', '百花园', '景田小区', '华侨城', '碧海云天'] as const;

/** A full postal address in the given city: province/city, district, street and number. */
export function generateAddress(rng: Random, city: City): string {
  const places = PLACES[city];
  const district = rng.pick(Object.keys(places.districts));
  const street = rng.pick(places.districts[district] as readonly string[]);
  const n = rng.int(1, 999);
  const building = rng.int(1, 30);
  const room = `${rng.int(1, 32)}${String(rng.int(1, 8)).padStart(2, '0')}`;
  const head = `${places.prefix}${district}${street}`;
  switch (places.style) {
    case 'lane':
      return `${head}${n}弄${building}号${room}室`;
    case 'compound':
      return `${head}${n}号院${building}号楼${rng.int(1, 6)}单元${room}`;
    case 'estate':
      return `${head}${n}号${rng.pick(ESTATES)}${building}栋${room}`;
    case 'block':
      return `${head}${n}号${building}幢${rng.int(1, 4)}单元${room}室`;
  }
}

/** The cities a customer of a branch in `home` may live in: mostly there, sometimes elsewhere. */
export function pickResidenceCity(rng: Random, home: City): City {
  if (rng.chance(0.92)) return home;
  return rng.pick(['上海', '北京', '深圳', '杭州', '南京', '成都', '武汉'] as const);
}
