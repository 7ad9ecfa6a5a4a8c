// Words of the channels page (i18next namespace 'channels').
export const messages = {
  en: {
    title: 'TODO',
  },
  zh: {
    title: 'TODO',
  },
};
