// The logs filters live in the URL query (?token_id=3&status=error&p=2), so a
// filtered view can be shared as a link. Times are epoch ms in the URL and
// local date-times in the form.

export const FILTER_KEYS = ['token_id', 'model', 'channel_id', 'status', 'from', 'to'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
export type LogFilters = Record<FilterKey, string>;

export const EMPTY_FILTERS: LogFilters = { token_id: '', model: '', channel_id: '', status: '', from: '', to: '' };

export function filtersFrom(params: URLSearchParams): LogFilters {
  const out = { ...EMPTY_FILTERS };
  for (const k of FILTER_KEYS) out[k] = params.get(k)?.trim() ?? '';
  return out;
}

export function pageFrom(params: URLSearchParams): number {
  const p = Number(params.get('p'));
  return Number.isInteger(p) && p > 1 ? p : 1;
}

/** The URL query for these filters and page (empty ones and page 1 left out). */
export function paramsFor(filters: LogFilters, page: number): URLSearchParams {
  const out = new URLSearchParams();
  for (const k of FILTER_KEYS) if (filters[k]) out.set(k, filters[k]);
  if (page > 1) out.set('p', String(page));
  return out;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Epoch ms (as a string) → the value of an `<input type="datetime-local">`, in local time. */
export function msToLocalInput(ms: string): string {
  if (!/^\d+$/.test(ms)) return '';
  const d = new Date(Number(ms));
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A datetime-local value (local time) → epoch ms as a string; '' when empty or unreadable. */
export function localInputToMs(value: string): string {
  if (!value) return '';
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? '' : String(ms);
}
