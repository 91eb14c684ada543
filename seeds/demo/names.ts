/**
 * Fictional Chinese names for the demo world, and the derived search keys (pinyin, initials, surname
 * strokes) the people table keeps beside each name.
 */

import type { Rng } from './random.js';

/** Common surnames with rough relative frequencies (per mille), plus a few two-character surnames. */
export const SURNAMES: ReadonlyArray<readonly [string, number]> = [
  ['王', 71],
  ['李', 70],
  ['张', 67],
  ['刘', 54],
  ['陈', 45],
  ['杨', 31],
  ['黄', 22],
  ['赵', 21],
  ['吴', 20],
  ['周', 19],
  ['徐', 15],
  ['孙', 15],
  ['马', 14],
  ['朱', 13],
  ['胡', 13],
  ['郭', 11],
  ['何', 11],
  ['高', 10],
  ['林', 10],
  ['罗', 9],
  ['郑', 8],
  ['梁', 8],
  ['谢', 7],
  ['宋', 7],
  ['唐', 7],
  ['许', 6],
  ['韩', 6],
  ['冯', 6],
  ['邓', 6],
  ['曹', 6],
  ['彭', 5],
  ['曾', 5],
  ['肖', 5],
  ['田', 5],
  ['董', 5],
  ['袁', 4],
  ['潘', 4],
  ['于', 4],
  ['蒋', 4],
  ['蔡', 4],
  ['余', 4],
  ['杜', 4],
  ['叶', 4],
  ['程', 4],
  ['苏', 3],
  ['魏', 3],
  ['吕', 3],
  ['丁', 3],
  ['任', 3],
  ['沈', 3],
  ['姚', 3],
  ['卢', 3],
  ['姜', 3],
  ['崔', 3],
  ['钟', 3],
  ['谭', 3],
  ['陆', 3],
  ['汪', 3],
  ['范', 3],
  ['金', 3],
  ['石', 3],
  ['廖', 3],
  ['贾', 3],
  ['夏', 2],
  ['韦', 2],
  ['付', 2],
  ['方', 2],
  ['白', 2],
  ['邹', 2],
  ['孟', 2],
  ['熊', 2],
  ['秦', 2],
  ['邱', 2],
  ['江', 2],
  ['尹', 2],
  ['薛', 2],
  ['闫', 2],
  ['段', 2],
  ['雷', 2],
  ['侯', 2],
  ['龙', 2],
  ['史', 2],
  ['陶', 2],
  ['黎', 2],
  ['贺', 2],
  ['顾', 2],
  ['毛', 2],
  ['郝', 2],
  ['龚', 2],
  ['邵', 2],
  ['万', 2],
  ['钱', 2],
  ['严', 1],
  ['覃', 1],
  ['武', 1],
  ['戴', 1],
  ['莫', 1],
  ['孔', 1],
  ['向', 1],
  ['汤', 1],
  ['欧阳', 3],
  ['司马', 2],
  ['上官', 2],
  ['诸葛', 1],
];

const MALE_CHARS = [
  ...'伟刚勇毅俊峰强军平东文辉力明永健广志义兴良海山仁波宁贵福龙元全国胜学祥才发武新利清飞彬富顺信杰涛昌成康星光天达安岩中茂进林有坚和博诚先敬震振会思群豪邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦奇翰朗伯宏鸣朋斌梁栋维启克伦翔旭鹏泽晨辰建家致树德行泰盛雄琛钧冠策腾楠航弘',
];
const FEMALE_CHARS = [
  ...'秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红玲芬芳燕彩春菊兰凤洁梅琳素云莲真雪荣爱霞香月媛艳瑞佳嘉琼勤珍莉桂晶妍茜秋珊锦青倩婷婉娴瑾颖露瑶怡雁蓓仪荷丹蓉君琴蕊薇菁梦岚婕馨韵园艺咏卿澜纯毓悦昭冰爽茗羽希欣育滢筠柔竹凝晓欢枫芸菲伊亚宜可舒影丽阳妮初程雯萱彦宇雨曼紫逸贤',
];

/** Names of well-known people (historical, public figures) that the generator must not produce. */
const AVOID = new Set([
  '王菲',
  '李娜',
  '刘翔',
  '姚明',
  '马云',
  '李宁',
  '刘欢',
  '王刚',
  '张杰',
  '李健',
  '孙俪',
  '赵薇',
  '刘涛',
  '杨洋',
  '王伟',
  '李白',
  '杜甫',
  '王维',
  '刘备',
  '张飞',
  '关羽',
  '曹操',
  '孙权',
  '周瑜',
  '诸葛亮',
  '司马光',
  '欧阳修',
  '上官婉儿',
  '雷锋',
  '周迅',
  '黄磊',
  '陈坤',
  '李冰',
  '马龙',
  '杨利伟',
  '袁隆平',
  '钟南山',
  '屠呦呦',
  '李强',
  '王宁',
  '李希',
  '蔡奇',
  '韩正',
  '刘国梁',
  '王岐山',
  '胡春华',
  '丁薛祥',
  '赵乐际',
  '王沪宁',
  '李鹏',
  '朱德',
  '彭德怀',
  '林彪',
  '陈云',
  '宋庆龄',
  '孙中山',
  '鲁迅',
  '老舍',
  '巴金',
  '冰心',
  '林徽因',
  '杨振宁',
  '钱学森',
  '邓稼先',
  '王羲之',
  '岳飞',
  '文天祥',
  '司马迁',
  '司马懿',
  '欧阳询',
  '上官仪',
  '诸葛瑾',
  '刘德华',
  '张学友',
  '黎明',
  '郭富城',
  '成龙',
  '李连杰',
  '周润发',
  '王力宏',
  '林俊杰',
  '张艺谋',
  '陈凯歌',
  '冯小刚',
  '莫言',
]);

export function pickSurname(rng: Rng, compound = false): string {
  if (compound) return rng.pick(['欧阳', '司马', '上官', '诸葛']);
  return rng.weighted(SURNAMES);
}

/** A given name of one or two characters; older people more often have one. */
export function pickGivenName(rng: Rng, gender: 'male' | 'female', birthYear: number): string {
  const chars = gender === 'male' ? MALE_CHARS : FEMALE_CHARS;
  const single = rng.chance(birthYear < 1975 ? 0.4 : birthYear < 1988 ? 0.25 : 0.15);
  const first = rng.pick(chars);
  if (single) return first;
  let second = rng.pick(chars);
  while (second === first) second = rng.pick(chars);
  return first + second;
}

/**
 * A full name not in `taken` and not a well-known person's name. `taken` is updated.
 */
export function makeName(
  rng: Rng,
  gender: 'male' | 'female',
  birthYear: number,
  taken: Set<string>,
  options: { surname?: string; compound?: boolean } = {},
): string {
  for (let attempt = 0; attempt < 200; attempt++) {
    const surname = options.surname ?? pickSurname(rng, options.compound);
    const name = surname + pickGivenName(rng, gender, birthYear);
    if (AVOID.has(name) || taken.has(name)) continue;
    taken.add(name);
    return name;
  }
  throw new Error('could not generate a fresh name');
}

// The search keys are the app's own (src/domain/personName.ts); the demo derives them the same way.
export { COMPOUND_SURNAMES, type NameKeys, nameKeys, surnameOf } from '../../src/domain/personName.js';
