import type { AppointmentForm } from '../../domain/appointmentForm.js';
import { emptyLrmxFields, LRMX_VERSION, type LrmxRecord } from '../../domain/lrmx.js';

/**
 * The appointment form as an .lrmx record. Months are written `yyyyMM` (出生年月, 入党时间, 参加工作时间,
 * family birth months), the form's date `yyyyMMdd` (计算年龄时间, 填表时间); 简历 is the generated text.
 */
const compactMonth = (cadre: string) => cadre.replace('.', '').slice(0, 6);

export function formToLrmx(
  form: AppointmentForm,
  options: { photo: Buffer | null; date: string },
): LrmxRecord {
  const fields = emptyLrmxFields();
  const party = /^(\d{4})\.(\d{2})/.exec(form.partyJoined);
  Object.assign(fields, {
    XingMing: form.name,
    XingBie: form.gender,
    ChuShengNianYue: compactMonth(form.birthMonth),
    MinZu: form.ethnicity,
    JiGuan: form.nativePlace,
    ChuShengDi: form.birthPlace,
    RuDangShiJian: party ? `${party[1]}${party[2]}` : '',
    CanJiaGongZuoShiJian: form.workStarted ? compactMonth(form.workStarted) : '',
    JianKangZhuangKuang: form.health,
    ZhuanYeJiShuZhiWu: form.professionalTitle,
    ShuXiZhuanYeYouHeZhuanChang: form.expertise,
    QuanRiZhiJiaoYu_XueLi: form.fullTime.education,
    QuanRiZhiJiaoYu_XueWei: form.fullTime.degree,
    QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi: form.fullTime.educationSchool,
    QuanRiZhiJiaoYu_XueWei_BiYeYuanXiaoXi: form.fullTime.degreeSchool,
    ZaiZhiJiaoYu_XueLi: form.inService.education,
    ZaiZhiJiaoYu_XueWei: form.inService.degree,
    ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi: form.inService.educationSchool,
    ZaiZhiJiaoYu_XueWei_BiYeYuanXiaoXi: form.inService.degreeSchool,
    XianRenZhiWu: form.currentPost,
    NiRenZhiWu: form.proposedPost,
    NiMianZhiWu: form.proposedRemoval,
    JianLi: form.resume.text,
    JiangChengQingKuang: form.rewardsAndSanctions,
    NianDuKaoHeJieGuo: form.assessments,
    RenMianLiYou: form.reason,
    ChengBaoDanWei: form.reportingUnit,
    JiSuanNianLingShiJian: options.date.replaceAll('-', ''),
    TianBiaoShiJian: options.date.replaceAll('-', ''),
    TianBiaoRen: form.filledBy,
    ShenFenZheng: form.idNumber,
    ZhaoPian: options.photo ? options.photo.toString('base64') : '',
    Version: LRMX_VERSION,
  });
  return {
    fields,
    family: form.family.map((f) => ({
      ChengWei: f.relation,
      XingMing: f.name,
      ChuShengRiQi: f.birthMonth,
      ZhengZhiMianMao: f.politicalStatus,
      GongZuoDanWeiJiZhiWu: f.work,
    })),
  };
}
