/** "12.5%" (one decimal, trailing zero dropped); "0%" when nothing was asked. */
export function errorRate(errors: number, requests: number): string {
  if (requests === 0) return '0%';
  return `${Number(((errors / requests) * 100).toFixed(1))}%`;
}
