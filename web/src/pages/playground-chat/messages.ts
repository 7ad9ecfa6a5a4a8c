// Words of the playground-chat page (i18next namespace 'playground-chat').
export const messages = {
  en: {
    title: 'TODO',
  },
  zh: {
    title: 'TODO',
  },
};
