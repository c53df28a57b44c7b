// i18next with English bundled (the fallback) and each other language loaded when it is first chosen,
// which keeps six languages' texts out of the first paint's JavaScript; the chosen language is
// remembered and sets `lang` and `dir` on <html>, so Arabic mirrors the whole layout.
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { directionOf, type LanguageCode, pickLanguage, STORAGE_KEY } from './languages.ts';
import { en, type Messages } from './locales/en.ts';

// One chunk per language, fetched once.
const LOADERS: Record<Exclude<LanguageCode, 'en'>, () => Promise<Messages>> = {
  fr: () => import('./locales/fr.ts').then((m) => m.fr),
  vi: () => import('./locales/vi.ts').then((m) => m.vi),
  ar: () => import('./locales/ar.ts').then((m) => m.ar),
  zh: () => import('./locales/zh.ts').then((m) => m.zh),
  ru: () => import('./locales/ru.ts').then((m) => m.ru),
  es: () => import('./locales/es.ts').then((m) => m.es),
};

/** Adds a language's texts to i18next unless they are there. */
async function ensureLanguage(lng: LanguageCode): Promise<void> {
  if (lng === 'en' || i18next.hasResourceBundle(lng, 'translation')) return;
  i18next.addResourceBundle(lng, 'translation', await LOADERS[lng]());
}

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

/** Starts i18next in the remembered or browser language (its texts loaded first). */
export async function initI18n(): Promise<typeof i18next> {
  const lng = pickLanguage(stored(), navigator.languages ?? [navigator.language]);
  const marked = pseudoOn();
  const first = lng === 'en' ? null : await LOADERS[lng]().catch(() => null);
  i18next
    .use(initReactI18next)
    .use(pseudo)
    .init({
      ...(marked ? { postProcess: ['pseudo'] } : {}),
      resources: {
        en: { translation: en },
        ...(first ? { [lng]: { translation: first } } : {}),
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
  await ensureLanguage(lng);
  await i18next.changeLanguage(lng);
  try {
    localStorage.setItem(STORAGE_KEY, lng);
  } catch {
    // Private windows may refuse storage: the choice then lasts for this page only.
  }
  applyToDocument(lng);
}
