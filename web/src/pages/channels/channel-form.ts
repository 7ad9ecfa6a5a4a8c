// The channel dialog's form: the fields as typed (strings, JSON text), read
// from a channel, checked, and turned into a `POST`/`PUT /api/channels` body.
// Checks happen here, before any call, so a bad JSON override never reaches
// the API; the server checks everything again and its message is shown too.
import {
  DEFAULT_BASE_URLS,
  IMAGE_OUTPUT_MODES,
  KEY_ROTATIONS,
  MAX_TIMEOUT_MS,
  TIMEOUT_FIELDS,
  type ChannelType,
  type ChannelView,
  type TimeoutField,
} from './types';

export interface MappingRow {
  /** Stable React key. */
  id: number;
  from: string;
  to: string;
}

export interface ChannelForm {
  name: string;
  type: ChannelType;
  baseUrl: string;
  /** Keys to add: one per line, or service-account JSON for vertex. */
  newKeys: string;
  /** Stored keys (edit) the operator chose to drop on save. */
  removedKeyIds: number[];
  models: string[];
  mapping: MappingRow[];
  groups: string[];
  priority: string;
  weight: string;
  testModel: string;
  proxy: string;
  timeouts: Record<TimeoutField, string>;
  keyRotation: '' | (typeof KEY_ROTATIONS)[number];
  imageOutput: '' | (typeof IMAGE_OUTPUT_MODES)[number];
  paramOverride: string;
  headerOverride: string;
  statusCodeMapping: string;
  vertexProject: string;
  vertexLocation: string;
}

/** A problem with one field: an i18n key of the channels namespace and its values. */
export interface FormProblem {
  key: string;
  values?: Record<string, string | number>;
}
export type FormErrors = Partial<Record<string, FormProblem>>;

let rowIds = 0;
export const mappingRow = (from = '', to = ''): MappingRow => ({ id: ++rowIds, from, to });

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const json = (v: unknown): string => (v !== null && typeof v === 'object' && Object.keys(v).length > 0 ? JSON.stringify(v, null, 2) : '');

/** The form for a new channel (no argument) or for editing `channel`. */
export function formFromChannel(channel?: ChannelView): ChannelForm {
  const s = channel?.settings ?? {};
  const t = (s.timeouts ?? {}) as Record<string, unknown>;
  const timeouts = Object.fromEntries(TIMEOUT_FIELDS.map((f) => [f, typeof t[f] === 'number' ? String(t[f]) : ''])) as Record<TimeoutField, string>;
  const rotation = str(s.key_rotation);
  const image = str(s.image_output);
  return {
    name: channel?.name ?? '',
    type: channel?.type ?? 'openai',
    baseUrl: channel?.base_url ?? '',
    newKeys: '',
    removedKeyIds: [],
    models: channel?.models ?? [],
    mapping: Object.entries(channel?.model_mapping ?? {}).map(([from, to]) => mappingRow(from, to)),
    groups: channel?.groups ?? ['default'],
    priority: String(channel?.priority ?? 0),
    weight: String(channel?.weight ?? 1),
    testModel: str(s.test_model),
    proxy: str(s.proxy),
    timeouts,
    keyRotation: (KEY_ROTATIONS as readonly string[]).includes(rotation) ? (rotation as ChannelForm['keyRotation']) : '',
    imageOutput: (IMAGE_OUTPUT_MODES as readonly string[]).includes(image) ? (image as ChannelForm['imageOutput']) : '',
    paramOverride: json(s.param_override),
    headerOverride: json(s.header_override),
    statusCodeMapping: json(s.status_code_mapping),
    vertexProject: str(s.project) || str(s.project_id),
    vertexLocation: str(s.location) || str(s.region),
  };
}

/** Model names: no spaces (src/admin/validate.ts modelName). */
export const MODEL_NAME = /^[^\s\x00-\x1f]{1,128}$/;

/** Several models pasted at once: split on commas, spaces and new lines. */
export function splitModels(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((m) => m.trim())
    .filter((m) => m !== '');
}

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/** A JSON object typed in a textarea; '' = none. */
function parseObject(text: string, field: string, errors: FormErrors): Record<string, unknown> | undefined {
  if (text.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    errors[field] = { key: 'errors.json', values: { detail: (err as Error).message } };
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    errors[field] = { key: 'errors.jsonObject' };
    return undefined;
  }
  return value as Record<string, unknown>;
}

/** Keys typed for adding: lines, or (vertex) one service-account JSON object or an array of them. */
export function parseNewKeys(text: string, type: ChannelType): { keys: string[] } | { problem: FormProblem } {
  if (text.trim() === '') return { keys: [] };
  if (type !== 'vertex') return { keys: [...new Set(text.split('\n').map((k) => k.trim()).filter((k) => k !== ''))] };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { problem: { key: 'errors.vertexJson', values: { detail: (err as Error).message } } };
  }
  const accounts = Array.isArray(value) ? value : [value];
  for (const [i, a] of accounts.entries()) {
    const rec = a as Record<string, unknown> | null;
    if (!rec || typeof rec !== 'object' || Array.isArray(rec) || typeof rec.client_email !== 'string' || typeof rec.private_key !== 'string') {
      return { problem: { key: 'errors.vertexAccount', values: { n: i + 1 } } };
    }
  }
  return { keys: accounts.map((a) => JSON.stringify(a)) };
}

function intIn(text: string, min: number, max: number): number | undefined {
  const t = text.trim();
  if (!/^-?\d+$/.test(t)) return undefined;
  const n = Number(t);
  return n >= min && n <= max ? n : undefined;
}

const PROXY_PROTOCOLS = ['http:', 'https:', 'socks5:'];

/**
 * The API body for `form`, or the problems found. `original` (edit) keeps the
 * settings this form does not show (breaker thresholds and the like) and the
 * stored keys not removed; keys are sent only when they change.
 */
export function channelBody(form: ChannelForm, original?: ChannelView): { body: Record<string, unknown> } | { errors: FormErrors } {
  const errors: FormErrors = {};
  const name = form.name.trim();
  if (name === '') errors.name = { key: 'errors.required' };
  else if (name.length > 128) errors.name = { key: 'errors.tooLong', values: { max: 128 } };

  const baseUrl = form.baseUrl.trim();
  if (baseUrl !== '' && !isHttpUrl(baseUrl)) errors.baseUrl = { key: 'errors.url' };
  else if (baseUrl === '' && form.type === 'openai-compatible') errors.baseUrl = { key: 'errors.baseUrlRequired' };

  // Keys: the stored ones kept (by id, as the API accepts them back) plus the new ones.
  const added = parseNewKeys(form.newKeys, form.type);
  const kept = (original?.keys ?? []).filter((k) => !form.removedKeyIds.includes(k.id));
  let keys: unknown[] | undefined;
  if ('problem' in added) errors.newKeys = added.problem;
  else {
    const changed = !original || added.keys.length > 0 || kept.length !== original.keys.length;
    // Only the simulator works without a key; an edit that leaves keys alone is not judged.
    if (changed && kept.length + added.keys.length === 0 && form.type !== 'simulator') errors.newKeys = { key: 'errors.keysRequired' };
    if (changed) keys = [...kept.map((k) => ({ id: k.id, key: k.key })), ...added.keys];
  }

  const mapping: Record<string, string> = {};
  for (const row of form.mapping) {
    const from = row.from.trim();
    const to = row.to.trim();
    if (from === '' && to === '') continue;
    if (!MODEL_NAME.test(from) || !MODEL_NAME.test(to)) errors.mapping = { key: 'errors.mappingRow', values: { from: from || '?', to: to || '?' } };
    else if (from in mapping) errors.mapping = { key: 'errors.mappingDuplicate', values: { from } };
    else mapping[from] = to;
  }

  if (form.groups.length === 0) errors.groups = { key: 'errors.groupsRequired' };
  const priority = intIn(form.priority, -1_000_000, 1_000_000);
  if (priority === undefined) errors.priority = { key: 'errors.integer', values: { min: -1_000_000, max: 1_000_000 } };
  const weight = intIn(form.weight, 0, 1_000_000);
  if (weight === undefined) errors.weight = { key: 'errors.integer', values: { min: 0, max: 1_000_000 } };

  const testModel = form.testModel.trim();
  if (testModel !== '' && !MODEL_NAME.test(testModel)) errors.testModel = { key: 'errors.modelName' };

  const proxy = form.proxy.trim();
  if (proxy !== '') {
    let ok = false;
    try {
      const u = new URL(proxy);
      ok = PROXY_PROTOCOLS.includes(u.protocol) && u.hostname !== '';
    } catch {
      // not a URL
    }
    if (!ok) errors.proxy = { key: 'errors.proxy' };
  }

  const timeouts: Partial<Record<TimeoutField, number>> = {};
  for (const f of TIMEOUT_FIELDS) {
    const text = form.timeouts[f].trim();
    if (text === '') continue;
    const n = intIn(text, 1, MAX_TIMEOUT_MS);
    if (n === undefined) errors[`timeouts.${f}`] = { key: 'errors.integer', values: { min: 1, max: MAX_TIMEOUT_MS } };
    else timeouts[f] = n;
  }

  const paramOverride = parseObject(form.paramOverride, 'paramOverride', errors);
  const headerOverride = parseObject(form.headerOverride, 'headerOverride', errors);
  if (headerOverride && Object.values(headerOverride).some((v) => typeof v !== 'string')) errors.headerOverride = { key: 'errors.headerValues' };
  const statusCodeMapping = parseObject(form.statusCodeMapping, 'statusCodeMapping', errors);
  if (statusCodeMapping) {
    for (const [from, to] of Object.entries(statusCodeMapping)) {
      const target = typeof to === 'string' && /^\d+$/.test(to) ? Number(to) : to;
      if (!/^[1-5]\d\d$/.test(from) || typeof target !== 'number' || !Number.isInteger(target) || target < 100 || target > 599) {
        errors.statusCodeMapping = { key: 'errors.statusMapping', values: { from } };
        break;
      }
    }
  }

  if (Object.keys(errors).length > 0) return { errors };

  const settings: Record<string, unknown> = { ...(original?.settings ?? {}) };
  const put = (k: string, v: unknown) => {
    if (v === undefined || v === '') delete settings[k];
    else settings[k] = v;
  };
  put('test_model', testModel);
  put('proxy', proxy);
  put('timeouts', Object.keys(timeouts).length > 0 ? timeouts : undefined);
  put('key_rotation', form.keyRotation);
  put('image_output', form.imageOutput);
  put('param_override', paramOverride);
  put('header_override', headerOverride);
  put('status_code_mapping', statusCodeMapping);
  if (form.type === 'vertex') {
    // One spelling each; the aliases a config may use are folded in.
    delete settings.project_id;
    delete settings.region;
    put('project', form.vertexProject.trim());
    put('location', form.vertexLocation.trim());
  }

  const body: Record<string, unknown> = {
    name,
    type: form.type,
    base_url: baseUrl,
    models: [...new Set(form.models)],
    model_mapping: mapping,
    groups: form.groups,
    priority,
    weight,
    settings,
  };
  if (keys !== undefined) body.keys = keys;
  return { body };
}

/** The base URL placeholder for a type: its default, or what to put there. */
export function baseUrlPlaceholder(type: ChannelType): string {
  if (type === 'openai-compatible') return 'https://api.deepseek.com';
  return DEFAULT_BASE_URLS[type];
}

/** The form field an API refusal names (`settings.proxy` → proxy), to show its message there too. */
export function formFieldOf(apiField: string | undefined): string | undefined {
  if (!apiField) return undefined;
  const direct: Record<string, string> = {
    name: 'name',
    base_url: 'baseUrl',
    model_mapping: 'mapping',
    priority: 'priority',
    weight: 'weight',
    'settings.proxy': 'proxy',
    'settings.test_model': 'testModel',
    'settings.param_override': 'paramOverride',
    'settings.header_override': 'headerOverride',
    'settings.status_code_mapping': 'statusCodeMapping',
  };
  if (direct[apiField]) return direct[apiField];
  if (/^(keys|key)(\[\d+\])?$/.test(apiField)) return 'newKeys';
  if (/^groups(\[\d+\])?$/.test(apiField)) return 'groups';
  const timeout = /^settings\.timeouts\.(connect_ms|first_byte_ms|idle_ms|total_ms)$/.exec(apiField);
  return timeout ? `timeouts.${timeout[1]}` : undefined;
}
