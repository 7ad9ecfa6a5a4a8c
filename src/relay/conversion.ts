// The hub path of a request: the client's body decoded once into the
// canonical form, then encoded for each candidate upstream that does not speak
// the client's format. Same-format candidates never come here (passthrough).
import type { CanonicalRequest, Part } from '../dialects/canonical/types.js';
import type { DialectCodec, EncodedRequest, EncodeResponseOptions, ImageOutputMode } from '../dialects/canonical/codec.js';
import { CODECS } from '../dialects/codecs.js';
import { inspectGeminiRequest } from '../dialects/gemini/inspect-request.js';
import { imageModelSpec } from '../dialects/gemini/image-models.js';
import { CODEC_DIALECT, type CodecName, type DialectName } from '../dialects/types.js';
import { embeddingsTarget } from './embeddings-conversion.js';
import type { Provider } from '../providers/types.js';
import type { RelayRouteSpec } from './routes.js';
import type { RequestFacts } from './request-facts.js';

/** How one candidate is served: its bytes go through untouched, or the request is converted into `codec`. */
export type ServeMode = { kind: 'passthrough' } | { kind: 'convert'; codec: CodecName } | { kind: 'embed'; dialect: DialectName };

const PASSTHROUGH: ServeMode = { kind: 'passthrough' };
const EMBED_GEMINI: ServeMode = { kind: 'embed', dialect: 'gemini' };
const EMBED_OPENAI: ServeMode = { kind: 'embed', dialect: 'openai' };
const convertModes = new Map<CodecName, ServeMode>();

/** Passthrough when the upstream speaks the route's format; else conversion into its preferred one; undefined when neither can work. */
export function serveMode(spec: RelayRouteSpec, provider: Provider | undefined): ServeMode | undefined {
  if (!provider) return undefined;
  if (provider.dialects.includes(spec.dialect) && (!spec.codec || provider.codecs.includes(spec.codec))) return PASSTHROUGH;
  const embed = embeddingsTarget(spec, provider);
  if (embed) return embed === 'gemini' ? EMBED_GEMINI : EMBED_OPENAI;
  const target = provider.codecs[0];
  if (!spec.codec || !target) return undefined;
  let mode = convertModes.get(target);
  if (!mode) convertModes.set(target, (mode = { kind: 'convert', codec: target }));
  return mode;
}

/** Fetches an http(s) image for an upstream that only takes inline data (the SSRF guard lives behind this). */
export type RemoteImageFetcher = (url: string) => Promise<{ mimeType: string; data: Buffer }>;

export class Conversion {
  readonly clientCodec: DialectCodec;
  private inlined = false;

  constructor(
    readonly clientCodecName: CodecName,
    readonly request: CanonicalRequest,
    private readonly rawBytes: number,
  ) {
    this.clientCodec = CODECS[clientCodecName];
  }

  static decode(spec: RelayRouteSpec, json: Record<string, unknown>, pathModel: string | undefined, rawBytes: number): Conversion {
    const codecName = spec.codec!;
    const request = CODECS[codecName].decodeRequest(json, { operation: spec.operation, ...(pathModel !== undefined && { pathModel }) });
    return new Conversion(codecName, request, rawBytes);
  }

  /**
   * Gemini takes images inline only: http(s) image URLs are fetched (once)
   * before the first Gemini encoding. Other upstreams fetch URLs themselves.
   */
  async prepareFor(codec: CodecName, fetchImage: RemoteImageFetcher): Promise<void> {
    if (codec !== 'gemini' || this.inlined) return;
    this.inlined = true;
    const pending: Promise<void>[] = [];
    const visit = (parts: Part[]) => {
      for (const part of parts) {
        if (part.type === 'tool_result') visit(part.content);
        else if ((part.type === 'image' || part.type === 'file' || part.type === 'audio') && part.data === undefined && part.url && /^https?:/i.test(part.url)) {
          pending.push(
            fetchImage(part.url).then((got) => {
              part.data = got.data.toString('base64');
              part.mimeType = got.mimeType;
              delete part.url;
            }),
          );
        }
      }
    };
    for (const m of this.request.messages) visit(m.parts);
    await Promise.all(pending);
  }

  /** What must be known before money moves, for the model the first candidate runs. Image models are validated as Gemini would. */
  facts(upstreamModel: string): RequestFacts {
    const req = this.request;
    if (imageModelSpec(upstreamModel)) {
      const body = CODECS.gemini.encodeRequest(this.forModel(upstreamModel), { model: upstreamModel, provider: 'gemini' }).body;
      const facts = inspectGeminiRequest({ operation: 'generateContent', model: upstreamModel, json: body, rawBytes: this.rawBytes });
      return { ...facts, maxOutputTokens: facts.maxOutputTokens ?? req.maxOutputTokens };
    }
    return { promptTokens: Math.ceil(this.rawBytes / 4), maxOutputTokens: req.maxOutputTokens, referenceImages: 0 };
  }

  /** The upstream request for one candidate. */
  encode(codec: CodecName, upstreamModel: string, provider: string): EncodedRequest & { dialect: (typeof CODEC_DIALECT)[CodecName] } {
    const encoded = CODECS[codec].encodeRequest(this.forModel(upstreamModel), { model: upstreamModel, provider });
    return { ...encoded, dialect: CODEC_DIALECT[codec] };
  }

  /** Image models answer with images when the client did not say otherwise (chat clients rarely set modalities). */
  private forModel(upstreamModel: string): CanonicalRequest {
    const req = this.request;
    const base = req.model === upstreamModel ? req : { ...req, model: upstreamModel };
    if (req.modalities || !imageModelSpec(upstreamModel)) return base;
    return { ...base, modalities: ['text', 'image'] };
  }

  responseOptions(model: string, opts: { sse: boolean; imageOutput: ImageOutputMode; includeUsage: boolean }): EncodeResponseOptions {
    return { model, sse: opts.sse, imageOutput: opts.imageOutput, includeUsage: opts.includeUsage };
  }
}
