// Words of the tokens page (i18next namespace 'tokens').
export const messages = {
  en: {
    title: 'TODO',
  },
  zh: {
    title: 'TODO',
  },
};
