/** Most channels tried for one request before giving up (the first try included). */
export const DEFAULT_MAX_ATTEMPTS = 3;
