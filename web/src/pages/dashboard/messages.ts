// Words of the dashboard page (i18next namespace 'dashboard').
export const messages = {
  en: {
    title: 'TODO',
  },
  zh: {
    title: 'TODO',
  },
};
