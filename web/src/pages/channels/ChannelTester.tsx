// Test a stored channel with a model of its choice: one tiny real request
// through it (POST /api/channels/{id}/test), the outcome announced.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../auth/session';
import { Field } from '../../components/Field';
import { runChannelTest } from './run-test';
import { TestResult, type TestState } from './TestResult';
import type { ChannelView } from './types';

export function ChannelTester({ channel }: { channel: ChannelView }) {
  const { t } = useTranslation('channels');
  const { api } = useSession();
  const [model, setModel] = useState('');
  const [state, setState] = useState<TestState>();
  const models = [...new Set([...channel.models, ...Object.keys(channel.model_mapping)])];
  const run = async () => {
    setState({ name: channel.name, running: true });
    const outcome = await runChannelTest(api, channel.id, model || undefined).catch((err: Error) => ({ ok: false as const, message: err.message }));
    setState({ name: channel.name, running: false, outcome });
  };
  return (
    <div className="channel-tester">
      <div className="toolbar">
        <Field label={t('test.model')}>
          <select value={model} onChange={(e) => setModel(e.target.value)}>
            <option value="">{t('test.defaultModel')}</option>
            {models.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </Field>
        <button type="button" onClick={run} disabled={state?.running}>
          {state?.running ? t('actions.testing') : t('test.run')}
        </button>
      </div>
      <TestResult state={state} />
    </div>
  );
}
