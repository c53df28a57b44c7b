// Indicator, breakdown and group names in the reader's language: indicator names and definitions
// come from the report's own tables (src/domain/indicators-report), group codes from the desk's.
import type { TFunction } from 'i18next';
import {
  DIMENSION_LABELS,
  type Dimension,
  INDICATOR_DEFINITIONS,
  INDICATOR_LABELS,
  type Indicator,
  isReportLanguage,
  type ReportLanguage,
} from '../../../domain/indicators-report/index.ts';
import { fromResources } from '../../i18n/i18n.ts';
import { stateName } from '../../i18n/words.ts';

const lang = (language: string): ReportLanguage => (isReportLanguage(language) ? language : 'en');

export function indicatorName(indicator: string, language: string): string {
  return fromResources(INDICATOR_LABELS[indicator as Indicator]?.[lang(language)] ?? indicator);
}

export function indicatorDefinition(indicator: string, language: string): string {
  return fromResources(INDICATOR_DEFINITIONS[indicator as Indicator]?.[lang(language)] ?? '');
}

export function dimensionName(dimension: string, language: string): string {
  return fromResources(DIMENSION_LABELS[dimension as Dimension]?.[lang(language)] ?? dimension);
}

/** A group code of a breakdown in words: a State's name, a request type's title… or the code. */
export function groupName(dimension: string, group: string | null, t: TFunction, language: string): string {
  if (group === null) return dimensionName('total', language);
  const known = (key: string) => {
    const text = t(key as never, { defaultValue: '' }) as string;
    return text === '' ? group : text;
  };
  switch (dimension) {
    case 'partner':
      return stateName(group, language);
    case 'type':
      return known(`requestType.${group}`);
    case 'direction':
      return known(`direction.${group}`);
    case 'urgency':
      return known(`urgency.${group}`);
    case 'legal_basis':
      return known(`basis.${group}`);
    case 'ground':
      return known(`ground.${group}`);
    case 'hour':
      return `${group}:00`;
    case 'weekday':
      // 1 January 2024 was a Monday: ISO day n is that date + n - 1.
      return /^[1-7]$/.test(group)
        ? new Intl.DateTimeFormat(language, { weekday: 'long', timeZone: 'UTC' }).format(
            new Date(Date.UTC(2024, 0, Number(group))),
          )
        : group;
    default:
      return group;
  }
}
