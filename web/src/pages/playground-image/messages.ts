// Words of the playground-image page (i18next namespace 'playground-image').
export const messages = {
  en: {
    title: 'TODO',
  },
  zh: {
    title: 'TODO',
  },
};
