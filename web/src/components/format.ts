// Display formats shared by the pages.

/** $1.234567 → "$1.2346"; small amounts keep their significant digits. */
export function formatUsd(usd: number): string {
  if (usd === 0) return '$0';
  const abs = Math.abs(usd);
  const digits = abs >= 100 ? 2 : abs >= 1 ? 4 : 6;
  return `${usd < 0 ? '-' : ''}$${abs.toFixed(digits).replace(/\.?0+$/, '')}`;
}

export function formatNumber(n: number, lang?: string): string {
  return new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en-US').format(n);
}

/** Epoch ms → local "2026-11-22 14:03:05". */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '–';
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}
