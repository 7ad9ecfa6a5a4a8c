// Words of the logs page (i18next namespace 'logs').
export const messages = {
  en: {
    title: 'TODO',
  },
  zh: {
    title: 'TODO',
  },
};
