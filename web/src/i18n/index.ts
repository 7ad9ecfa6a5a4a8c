// i18next set up once: English and Chinese, the choice remembered in
// localStorage. Namespaces: 'common' plus one per page folder.
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { messages as channels } from '../pages/channels/messages';
import { messages as dashboard } from '../pages/dashboard/messages';
import { messages as groups } from '../pages/groups/messages';
import { messages as logs } from '../pages/logs/messages';
import { messages as chat } from '../pages/playground-chat/messages';
import { messages as image } from '../pages/playground-image/messages';
import { messages as prices } from '../pages/prices/messages';
import { messages as tokens } from '../pages/tokens/messages';
import { messages as users } from '../pages/users/messages';
import { common } from './common';

export const LANGUAGES = [
  { code: 'en', label: 'English' },
  { code: 'zh', label: '中文' },
] as const;
export type Language = (typeof LANGUAGES)[number]['code'];

const LANG_STORAGE = 'waystation.lang';
const namespaces = {
  common,
  dashboard,
  tokens,
  channels,
  logs,
  users,
  groups,
  prices,
  'playground-image': image,
  'playground-chat': chat,
};

/** Stored choice, else the browser's language when it is Chinese, else English. */
export function initialLanguage(): Language {
  const stored = globalThis.localStorage?.getItem(LANG_STORAGE);
  if (stored === 'en' || stored === 'zh') return stored;
  return globalThis.navigator?.language?.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

export function setLanguage(lang: Language): void {
  localStorage.setItem(LANG_STORAGE, lang);
  void i18n.changeLanguage(lang);
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
}

const resources: Record<string, Record<string, object>> = { en: {}, zh: {} };
for (const [ns, m] of Object.entries(namespaces)) {
  resources.en![ns] = m.en;
  resources.zh![ns] = m.zh;
}

void i18n.use(initReactI18next).init({
  resources,
  lng: initialLanguage(),
  fallbackLng: 'en',
  defaultNS: 'common',
  ns: Object.keys(namespaces),
  interpolation: { escapeValue: false }, // React escapes
  returnNull: false,
  showSupportNotice: false,
});

export default i18n;
