// i18next set up with every resource bundled (they are small); the chosen language is remembered
// and sets `lang` and `dir` on <html>, so Arabic mirrors the whole layout.
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { directionOf, type LanguageCode, pickLanguage, STORAGE_KEY } from './languages.ts';
import { ar } from './locales/ar.ts';
import { en, type Messages } from './locales/en.ts';
import { es } from './locales/es.ts';
import { fr } from './locales/fr.ts';
import { ru } from './locales/ru.ts';
import { vi } from './locales/vi.ts';
import { zh } from './locales/zh.ts';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: Messages };
  }
}

function stored(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

function applyToDocument(lng: LanguageCode): void {
  document.documentElement.lang = lng;
  document.documentElement.dir = directionOf(lng);
}

/** Set in local storage by the browser tests: every text from the resources is wrapped in ⟦…⟧, so
 * a screen can be checked for visible text that does not come from them (untranslated strings). */
export const PSEUDO_KEY = 'hanoi247.pseudo';
const pseudo = {
  type: 'postProcessor' as const,
  name: 'pseudo',
  process: (value: string) => `⟦${value}⟧`,
};

/** Marks a text that comes from another translated table (the form's field labels) like the resources. */
export function fromResources(text: string): string {
  return i18next.options?.postProcess ? pseudo.process(text) : text;
}

function pseudoOn(): boolean {
  try {
    return localStorage.getItem(PSEUDO_KEY) === '1';
  } catch {
    return false;
  }
}

/** Starts i18next in the remembered or browser language. */
export function initI18n(): typeof i18next {
  const lng = pickLanguage(stored(), navigator.languages ?? [navigator.language]);
  const marked = pseudoOn();
  i18next
    .use(initReactI18next)
    .use(pseudo)
    .init({
      ...(marked ? { postProcess: ['pseudo'] } : {}),
      resources: {
        en: { translation: en },
        fr: { translation: fr },
        vi: { translation: vi },
        ar: { translation: ar },
        zh: { translation: zh },
        ru: { translation: ru },
        es: { translation: es },
      },
      lng,
      fallbackLng: 'en',
      interpolation: { escapeValue: false },
      returnNull: false,
      initAsync: false,
    });
  applyToDocument(lng);
  return i18next;
}

/** Switches language, remembers it and flips the page direction. */
export async function changeLanguage(lng: LanguageCode): Promise<void> {
  await i18next.changeLanguage(lng);
  try {
    localStorage.setItem(STORAGE_KEY, lng);
  } catch {
    // Private windows may refuse storage: the choice then lasts for this page only.
  }
  applyToDocument(lng);
}
