// Which price applies to a model name. Operator prices (config or API, read
// from the store cache) win over the built-in list; names match tolerantly,
// so "models/gemini-2.5-flash", "gpt-4o-2024-08-06", "claude-sonnet-4-5-20250929",
// "deepseek-chat-latest" and a simulator's "gpt-4o@fault=500" all find their entry.
import type { ModelPrice, Price } from '../store/entities.js';
import { BUILTIN_ALIASES, BUILTIN_PRICES } from './builtin-prices.js';

export type PriceSource = Price['source'] | 'builtin' | 'unpriced';

export interface ResolvedPrice {
  /** The table entry that matched (may differ from the name asked for). */
  model: string;
  price: ModelPrice;
  source: PriceSource;
}

/** Where operator prices come from; StoreCache fits (its `prices()` keeps one array until prices change). */
export interface OperatorPrices {
  prices(): readonly Price[];
}

export interface PriceBookOptions {
  operator?: OperatorPrices;
  /** Serve models without any price, at no cost, instead of refusing them (default false). */
  allowUnpriced?: boolean;
  /** Replaces the built-in list (tests). */
  builtin?: Readonly<Record<string, ModelPrice>>;
  builtinAliases?: Readonly<Record<string, string>>;
}

/** Thrown by `PriceBook.require` for a model no price covers while unpriced models are refused. */
export class UnpricedModelError extends Error {
  override readonly name = 'UnpricedModelError';
  constructor(readonly model: string) {
    super(`Model "${model}" has no price on this gateway, so it cannot be billed; ask the operator to set one.`);
  }
}

// Suffixes that name a snapshot of the same model, stripped one at a time.
const SUFFIXES: readonly RegExp[] = [
  /-latest$/,
  /-\d{4}-\d{2}-\d{2}$/, // OpenAI: gpt-4o-2024-08-06
  /-\d{8}$/, // Anthropic: claude-sonnet-4-5-20250929
  /-\d{2}-\d{4}$/, // Gemini previews: -09-2025
  /-\d{3}$/, // Gemini versions: -001
  /-exp$/,
  /-preview$/,
];

/**
 * The names to try for a model, most specific first: as given, without a
 * test suffix ("@fault=…") or vendor prefix ("models/", "openai/"), lowercased,
 * then with snapshot suffixes stripped, then "-preview" added, then dots as dashes.
 */
export function modelNameCandidates(model: string): string[] {
  const out: string[] = [];
  const add = (name: string) => {
    if (name !== '' && !out.includes(name)) out.push(name);
  };
  const raw = model.trim();
  add(raw);
  let name = raw.replace(/@.*$/, '');
  add(name);
  name = name.slice(name.lastIndexOf('/') + 1);
  add(name);
  name = name.toLowerCase();
  add(name);
  let stripped = name;
  for (let changed = true; changed; ) {
    changed = false;
    for (const re of SUFFIXES) {
      const next = stripped.replace(re, '');
      if (next !== stripped && next !== '') {
        stripped = next;
        add(stripped);
        changed = true;
      }
    }
  }
  add(`${stripped}-preview`);
  if (stripped.includes('.')) add(stripped.replace(/\./g, '-')); // "claude-sonnet-4.5"
  return out;
}

const CACHE_LIMIT = 10_000;

export class PriceBook {
  readonly #operator: OperatorPrices | undefined;
  readonly #builtin: Readonly<Record<string, ModelPrice>>;
  readonly #aliases: Readonly<Record<string, string>>;
  #allowUnpriced: boolean;
  #operatorList: readonly Price[] | undefined;
  #operatorIndex = new Map<string, Price>();
  readonly #resolved = new Map<string, ResolvedPrice | null>();

  constructor(opts: PriceBookOptions = {}) {
    this.#operator = opts.operator;
    this.#builtin = opts.builtin ?? BUILTIN_PRICES;
    this.#aliases = opts.builtinAliases ?? (opts.builtin ? {} : BUILTIN_ALIASES);
    this.#allowUnpriced = opts.allowUnpriced ?? false;
  }

  get allowUnpriced(): boolean {
    return this.#allowUnpriced;
  }

  set allowUnpriced(allow: boolean) {
    this.#allowUnpriced = allow;
  }

  /**
   * The price for the first of the names that has one (e.g. the model the
   * client asked for, then the upstream name a channel maps it to). Every
   * operator price is tried before any built-in one.
   */
  resolve(model: string, ...alternatives: string[]): ResolvedPrice | undefined {
    this.#refreshOperator();
    const key = alternatives.length === 0 ? model : [model, ...alternatives].join('\u0000');
    const hit = this.#resolved.get(key);
    if (hit !== undefined) return hit ?? undefined;
    const found = this.#lookup([model, ...alternatives]);
    if (this.#resolved.size >= CACHE_LIMIT) this.#resolved.clear();
    this.#resolved.set(key, found ?? null);
    return found;
  }

  /** Like `resolve`, but refuses an unpriced model with UnpricedModelError unless `allowUnpriced`. */
  require(model: string, ...alternatives: string[]): ResolvedPrice {
    const found = this.resolve(model, ...alternatives);
    if (found) return found;
    if (this.#allowUnpriced) return { model, price: {}, source: 'unpriced' };
    throw new UnpricedModelError(model);
  }

  #lookup(names: string[]): ResolvedPrice | undefined {
    const candidates = names.flatMap(modelNameCandidates);
    for (const name of candidates) {
      const p = this.#operatorIndex.get(name) ?? this.#operatorIndex.get(name.toLowerCase());
      if (p) return { model: p.model, price: p.price, source: p.source };
    }
    for (const name of candidates) {
      const canonical = Object.hasOwn(this.#builtin, name) ? name : this.#aliases[name];
      if (canonical !== undefined && Object.hasOwn(this.#builtin, canonical)) {
        return { model: canonical, price: this.#builtin[canonical]!, source: 'builtin' };
      }
    }
    return undefined;
  }

  /** Rebuilds the operator index when the store's price list changed. */
  #refreshOperator(): void {
    const list = this.#operator?.prices();
    if (list === this.#operatorList) return;
    this.#operatorList = list;
    const index = new Map<string, Price>();
    for (const p of list ?? []) {
      index.set(p.model, p);
      const lower = p.model.toLowerCase();
      if (!index.has(lower)) index.set(lower, p);
    }
    this.#operatorIndex = index;
    this.#resolved.clear();
  }
}
