// Russian texts of the transparency page and the desk's Indicators page; awaiting review by a legal
// translator; spread into ru.ts.
import type { reportsEn } from './en.ts';

type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };

export const reportsRu: Shape<typeof reportsEn> = {
  transparency: {
    title: 'Прозрачность: осуществление Конвенции',
    intro:
      'Опубликованные отчёты {{state}} об осуществлении Конвенции ООН против киберпреступности: показатели рассчитаны по проверяемым записям узла и подписаны узлом.',
    privacy:
      'Ни один показатель не называет лиц. Число меньше {{threshold}} показывается как «<{{threshold}}», а конфиденциальные запросы учитываются только в итогах, чтобы нельзя было узнать отдельное дело.',
    none: 'Пока не опубликовано ни одного отчёта.',
    chartsTitle: 'Основные показатели во времени',
    countsChart: 'Запросы',
    timesChart: 'Медианное время ответа',
    shareChart: 'Ответы в срок',
    unitCount: 'число',
    unitHours: 'часы',
    unitPercent: '%',
    gapNote:
      'Пропуск или прочерк: менее {{threshold}} случаев, не публикуется, чтобы нельзя было узнать отдельное дело.',
    asTable: 'Показатели в виде таблицы',
    period: 'Период',
    reportsTitle: 'Опубликованные отчёты',
    releasedOn: 'Опубликован {{date}}',
    checkpoint: 'журнал аудита: {{size}} записей',
    downloads: 'Файлы отчёта {{period}}',
    signedJson: 'Подписанный отчёт (JSON)',
    csv: 'Таблица (CSV)',
    pdf: 'Отчёт для печати с диаграммами',
    verifyTitle: 'Проверьте отчёт сами',
    verifyBody:
      'Каждый отчёт подписан этим узлом вместе с состоянием его журнала аудита на тот момент. Скачайте подписанный отчёт и проверьте его командой hanoi247, которая сверяет подпись с открытым ключом узла из справочника:',
    schema: 'Опубликованный формат отчётов (JSON Schema)',
    definitionsTitle: 'Как определяется каждый показатель',
    deskLink: 'Войти в рабочее место',
    publicReports: 'Открытые отчёты об осуществлении',
    regionalTitle: 'Региональная сводка: {{region}}',
    regionalIntro:
      'Показатели, сложенные по опубликованным отчётам государств — членов {{region}}, каждый проверен по подписи своего узла. Между узлами передаются только эти итоги.',
    regionalMembers: 'Учтённые отчёты',
    regionalBounds: 'от {{min}} до {{max}}',
    regionalNone: 'Отчёты участников пока не получены.',
  },
  indicatorsPage: {
    title: 'Показатели',
    intro:
      'Показатели периода на текущий момент, рассчитанные по проверяемым изменениям состояния. Выберите показатель, чтобы увидеть составляющие его запросы.',
    period: 'Период',
    periodHint: 'Год (2026), квартал (2026-Q4) или месяц (2026-11)',
    show: 'Показать',
    any: 'Все',
    breakdown: 'Разбивка',
    filtersNote: 'При фильтрации конфиденциальные запросы исключаются: они учитываются только в итогах.',
    partial: 'Этот период ещё не закончился: показатели могут вырасти.',
    indicator: 'Показатель',
    group: 'Группа',
    value: 'Число',
    median: 'Медиана (часы)',
    p90: '90-й процентиль (часы)',
    share: 'В срок',
    traceButton: 'Из чего состоит {{indicator}} ({{group}}): {{value}}',
    traceTitle: 'Из чего состоит: {{indicator}} ({{group}})',
    traceCount: 'Учтено: {{count}}',
    traceHidden: 'Учтённые конфиденциальные запросы, не показанные вам: {{count}}',
    traceEmpty: 'Нечего показать.',
    counted: 'Учтено',
    when: 'Когда',
    auditEntry: 'Запись журнала аудита',
    objectRequest: 'Запрос',
    objectHubAlert: 'Оповещение',
    objectHubOrg: 'Организация',
    objectOther: 'Запись',
    chartTitle: 'Основные показатели за {{period}}',
    close: 'Закрыть',
  },
};
