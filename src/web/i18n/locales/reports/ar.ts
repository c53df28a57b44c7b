// Arabic texts of the transparency page and the desk's Indicators page (right to left); awaiting
// review by a native legal translator; spread into ar.ts.
import type { reportsEn } from './en.ts';

type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };

export const reportsAr: Shape<typeof reportsEn> = {
  transparency: {
    title: 'الشفافية: تنفيذ الاتفاقية',
    intro:
      'التقارير المنشورة لـ{{state}} عن تنفيذها لاتفاقية الأمم المتحدة لمكافحة الجرائم السيبرانية: أرقام محسوبة من سجلات العقدة المدققة وموقعة من العقدة.',
    privacy:
      'لا يذكر أي رقم اسم شخص. يُعرض العدد الأقل من {{threshold}} على أنه «<{{threshold}}» ولا تُحتسب الطلبات السرية إلا في المجاميع، حتى لا يمكن التعرف على أي قضية بمفردها.',
    none: 'لم يُنشر أي تقرير بعد.',
    chartsTitle: 'المؤشرات الرئيسية عبر الزمن',
    countsChart: 'الطلبات',
    timesChart: 'الوسيط لزمن الرد',
    shareChart: 'الردود ضمن المهلة',
    unitCount: 'عدد',
    unitHours: 'ساعات',
    unitPercent: '%',
    gapNote: 'فراغ أو شرطة: أقل من {{threshold}} حالات، لا تُنشر حتى لا يمكن التعرف على أي قضية.',
    asTable: 'الأرقام في جدول',
    period: 'الفترة',
    reportsTitle: 'التقارير المنشورة',
    releasedOn: 'نُشر في {{date}}',
    checkpoint: 'سجل التدقيق عند {{size}} قيدًا',
    downloads: 'تنزيلات التقرير {{period}}',
    signedJson: 'التقرير الموقع (JSON)',
    csv: 'جدول (CSV)',
    pdf: 'تقرير قابل للطباعة مع الرسوم البيانية',
    verifyTitle: 'تحقق من التقرير بنفسك',
    verifyBody:
      'كل تقرير موقع من هذه العقدة مع حالة سجل التدقيق في ذلك الوقت. نزّل التقرير الموقع وتحقق منه بسطر أوامر hanoi247، الذي يتحقق من التوقيع بالمفتاح العام للعقدة المدرج في الدليل:',
    schema: 'الصيغة المنشورة للتقارير (JSON Schema)',
    definitionsTitle: 'تعريف كل مؤشر',
    deskLink: 'تسجيل الدخول إلى المكتب',
    publicReports: 'التقارير العامة عن التنفيذ',
    regionalTitle: 'المجموع الإقليمي: {{region}}',
    regionalIntro:
      'أرقام مجمعة من التقارير المنشورة للدول الأعضاء في {{region}}، وكل تقرير متحقق منه بتوقيع عقدته. لا تنتقل بين العقد إلا هذه المجاميع.',
    regionalMembers: 'التقارير المشمولة',
    regionalBounds: 'بين {{min}} و{{max}}',
    regionalNone: 'لم يرد أي تقرير من الأعضاء بعد.',
  },
  indicatorsPage: {
    title: 'المؤشرات',
    intro:
      'أرقام الفترة كما هي الآن، محسوبة من تغييرات الحالة المدققة. اختر رقمًا لترى الطلبات التي يتكون منها.',
    period: 'الفترة',
    periodHint: 'سنة (2026) أو ربع سنة (2026-Q4) أو شهر (2026-11)',
    show: 'عرض',
    any: 'الكل',
    breakdown: 'التصنيف',
    filtersNote: 'عند التصفية تُستبعد الطلبات السرية: فهي لا تُحتسب إلا في المجاميع.',
    partial: 'هذه الفترة لم تنته بعد: قد تزداد أرقامها.',
    indicator: 'المؤشر',
    group: 'الفئة',
    value: 'العدد',
    median: 'الوسيط (ساعات)',
    p90: 'المئين 90 (ساعات)',
    share: 'ضمن المهلة',
    traceButton: 'مكونات {{indicator}} ({{group}}): {{value}}',
    traceTitle: 'مكونات: {{indicator}} ({{group}})',
    traceCount: 'المحتسب: {{count}}',
    traceHidden: 'طلبات سرية محتسبة غير معروضة لك: {{count}}',
    traceEmpty: 'لا شيء لعرضه.',
    counted: 'المحتسب',
    when: 'التاريخ',
    auditEntry: 'قيد التدقيق',
    objectRequest: 'طلب',
    objectHubAlert: 'تنبيه',
    objectHubOrg: 'منظمة',
    objectOther: 'سجل',
    chartTitle: 'المؤشرات الرئيسية في {{period}}',
    close: 'إغلاق',
  },
};
