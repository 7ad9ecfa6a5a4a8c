// The outcome of a channel test, in a live region that is always present so
// a change is announced; pass/fail is said in words, not just colour.
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { formatMs } from '../../components/format';
import type { TestOutcome } from './run-test';

export type TestState = { name: string; running: true } | { name: string; running: false; outcome: TestOutcome };

export function TestResult({ state }: { state: TestState | undefined }) {
  const { t } = useTranslation('channels');
  const region = useRef<HTMLDivElement>(null);
  // A finished test may be far from the button that started it (the end of a long dialog, the top of the list).
  const finished = state !== undefined && !state.running;
  useEffect(() => {
    if (finished) region.current?.scrollIntoView?.({ block: 'nearest' });
  }, [finished, state]);
  let body = null;
  if (state?.running) body = <p className="notice">{t('test.running', { name: state.name })}</p>;
  else if (state && state.outcome.ok) {
    const r = state.outcome.result;
    body = <p className="notice notice-success">{t('test.passed', { name: state.name, model: r.model ?? '–', latency: formatMs(r.latency_ms), status: r.status })}</p>;
  } else if (state && !state.outcome.ok) {
    body = <p className="notice notice-error">{t('test.failed', { name: state.name, message: state.outcome.message })}</p>;
  }
  return (
    <div ref={region} role="status" aria-label={t('test.region')} className="test-result">
      {body}
    </div>
  );
}
