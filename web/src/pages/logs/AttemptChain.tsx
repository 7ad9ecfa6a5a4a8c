// Admins: the upstream tries a request made, in order (failover moves on to
// the next channel or key after a failure).
import { useTranslation } from 'react-i18next';
import { formatMs } from '../../components/format';
import type { Attempt } from './log-shapes';
import { StatusCode } from './StatusCode';

export function AttemptChain({ attempts, channelName }: { attempts: Attempt[] | null | undefined; channelName: (id: number) => string }) {
  const { t } = useTranslation('logs');
  return (
    <section aria-labelledby="logs-attempts">
      <h3 id="logs-attempts">{t('detail.attempts')}</h3>
      {!attempts || attempts.length === 0 ? (
        <p className="muted">{t('detail.noAttempts')}</p>
      ) : (
        <div className="table-wrap">
          <table className="data-table logs-attempts">
            <caption className="visually-hidden">{t('detail.attempts')}</caption>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">{t('detail.attemptChannel')}</th>
                <th scope="col">{t('detail.attemptStatus')}</th>
                <th scope="col">{t('detail.attemptError')}</th>
                <th scope="col" className="num">
                  {t('detail.attemptTime')}
                </th>
              </tr>
            </thead>
            <tbody>
              {attempts.map((a, i) => (
                <tr key={i}>
                  <td data-label="#">{i + 1}</td>
                  <td data-label={t('detail.attemptChannel')}>{channelName(a.channel_id)}</td>
                  <td data-label={t('detail.attemptStatus')}>
                    <StatusCode status={a.status} />
                  </td>
                  <td data-label={t('detail.attemptError')} className="logs-reason">
                    {a.error ?? '–'}
                  </td>
                  <td data-label={t('detail.attemptTime')} className="num">
                    {formatMs(a.ms)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
