// The form ↔ API body conversion and the checks made before submit.
import { describe, expect, it } from 'vitest';
import { channelBody, formFromChannel, mappingRow, parseNewKeys, type ChannelForm } from './channel-form';
import type { ChannelView } from './types';

const stored: ChannelView = {
  id: 7,
  name: 'vertex-eu',
  type: 'vertex',
  base_url: '',
  models: ['gemini-2.5-flash'],
  model_mapping: { fast: 'gemini-2.5-flash' },
  groups: ['default', 'vip'],
  priority: 2,
  weight: 3,
  status: 'enabled',
  status_reason: null,
  settings: { region: 'europe-west4', project_id: 'p-1', breaker: false, timeouts: { idle_ms: 9000 }, proxy: 'http://u:…@proxy:8080' },
  keys: [
    { id: 11, key: '{"type…"}"}', status: 'enabled', status_reason: null },
    { id: 12, key: '{"type…key"}', status: 'disabled', status_reason: 'upstream 401' },
  ],
  key_count: 2,
  breaker: null,
  key_breakers: [],
  created_at: 0,
  updated_at: 0,
};

const body = (form: ChannelForm, original?: ChannelView) => {
  const out = channelBody(form, original);
  if ('errors' in out) throw new Error(`unexpected errors: ${JSON.stringify(out.errors)}`);
  return out.body;
};
const errors = (form: ChannelForm, original?: ChannelView) => {
  const out = channelBody(form, original);
  return 'errors' in out ? out.errors : {};
};

describe('channel form', () => {
  it('reads a channel and writes it back unchanged, keys left out when untouched', () => {
    const form = formFromChannel(stored);
    expect(form).toMatchObject({ vertexLocation: 'europe-west4', vertexProject: 'p-1', priority: '2', weight: '3', proxy: 'http://u:…@proxy:8080' });
    expect(form.timeouts).toEqual({ connect_ms: '', first_byte_ms: '', idle_ms: '9000', total_ms: '' });
    const b = body(form, stored);
    expect(b).not.toHaveProperty('keys');
    expect(b).toMatchObject({ name: 'vertex-eu', type: 'vertex', models: ['gemini-2.5-flash'], model_mapping: { fast: 'gemini-2.5-flash' }, groups: ['default', 'vip'], priority: 2, weight: 3 });
    // Aliases folded into one spelling; settings the form does not show kept.
    expect(b.settings).toEqual({ location: 'europe-west4', project: 'p-1', breaker: false, timeouts: { idle_ms: 9000 }, proxy: 'http://u:…@proxy:8080' });
  });

  it('clears settings emptied in the form', () => {
    const form = { ...formFromChannel(stored), proxy: '', timeouts: { connect_ms: '', first_byte_ms: '', idle_ms: '', total_ms: '' }, vertexProject: '' };
    expect(body(form, stored).settings).toEqual({ location: 'europe-west4', breaker: false });
  });

  it('keeps stored keys by id when keys are added or removed', () => {
    const account = { type: 'service_account', client_email: 'a@p.iam.gserviceaccount.com', private_key: '-----BEGIN PRIVATE KEY-----\n…' };
    const form = { ...formFromChannel(stored), removedKeyIds: [12], newKeys: JSON.stringify(account, null, 2) };
    expect(body(form, stored).keys).toEqual([{ id: 11, key: '{"type…"}"}' }, JSON.stringify(account)]);
    expect(errors({ ...formFromChannel(stored), removedKeyIds: [11, 12] }, stored).newKeys?.key).toBe('errors.keysRequired');
  });

  it('vertex keys: one account or an array; anything else is refused with its place', () => {
    const a = { client_email: 'a@x', private_key: 'k' };
    expect(parseNewKeys(JSON.stringify([a, a]), 'vertex')).toEqual({ keys: [JSON.stringify(a), JSON.stringify(a)] });
    expect(parseNewKeys('{"client_email": "a@x"', 'vertex')).toMatchObject({ problem: { key: 'errors.vertexJson' } });
    expect(parseNewKeys(JSON.stringify([a, { client_email: 'b' }]), 'vertex')).toEqual({ problem: { key: 'errors.vertexAccount', values: { n: 2 } } });
    expect(parseNewKeys(' sk-1 \n\nsk-2\nsk-1', 'openai')).toEqual({ keys: ['sk-1', 'sk-2'] });
  });

  it('checks each field before anything is sent', () => {
    const form: ChannelForm = {
      ...formFromChannel(),
      name: ' ',
      type: 'openai-compatible',
      newKeys: 'sk-1',
      mapping: [mappingRow('a b', 'x'), mappingRow('', '')],
      groups: [],
      priority: '1.5',
      weight: '-1',
      testModel: 'has space',
      proxy: 'ftp://proxy:21',
      timeouts: { connect_ms: '0', first_byte_ms: '3600001', idle_ms: 'x', total_ms: '' },
      paramOverride: '{nope',
      headerOverride: '{"x-n": 1}',
      statusCodeMapping: '{"4040": 500}',
    };
    const e = errors(form);
    expect(Object.fromEntries(Object.entries(e).map(([k, v]) => [k, v!.key]))).toEqual({
      name: 'errors.required',
      baseUrl: 'errors.baseUrlRequired',
      mapping: 'errors.mappingRow',
      groups: 'errors.groupsRequired',
      priority: 'errors.integer',
      weight: 'errors.integer',
      testModel: 'errors.modelName',
      proxy: 'errors.proxy',
      'timeouts.connect_ms': 'errors.integer',
      'timeouts.first_byte_ms': 'errors.integer',
      'timeouts.idle_ms': 'errors.integer',
      paramOverride: 'errors.json',
      headerOverride: 'errors.headerValues',
      statusCodeMapping: 'errors.statusMapping',
    });
    expect(errors({ ...formFromChannel(), name: 'x', newKeys: 'k', mapping: [mappingRow('a', 'b'), mappingRow('a', 'c')] }).mapping?.key).toBe('errors.mappingDuplicate');
  });

  it('a new simulator channel needs no key; empty optional settings are left out', () => {
    const b = body({ ...formFromChannel(), name: 'sim-2', type: 'simulator', models: ['m', 'm'], statusCodeMapping: '{"429": "503"}' });
    expect(b).toEqual({
      name: 'sim-2',
      type: 'simulator',
      base_url: '',
      models: ['m'],
      model_mapping: {},
      groups: ['default'],
      priority: 0,
      weight: 1,
      settings: { status_code_mapping: { '429': '503' } },
      keys: [],
    });
  });
});
