// `tools` and `tool_choice`. Only function tools can be converted: built-in
// tools (web search, code interpreter, MCP, …) run inside OpenAI itself.
import type { ToolChoice, ToolDefinition } from '../../canonical/types.js';
import { badValue, invalid, objectAt, optBoolean, optObject, optString, stringAt, wrongType } from './json-read.js';

function builtInRefused(param: string, what: string): never {
  throw invalid(param, `The ${what} tool only works on OpenAI channels; this model is served by another provider. Use function tools instead.`);
}

export function decodeTools(raw: unknown): ToolDefinition[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) throw wrongType('tools', 'an array', raw);
  return raw.map((t, i): ToolDefinition => {
    const param = `tools[${i}]`;
    const tool = objectAt(t, param);
    const type = stringAt(tool.type, `${param}.type`);
    if (type !== 'function') builtInRefused(`${param}.type`, type);
    const name = stringAt(tool.name, `${param}.name`);
    const description = optString(tool.description, `${param}.description`);
    const parameters = optObject(tool.parameters, `${param}.parameters`);
    // Validated for the client's sake; the hub has no `strict` (other providers cannot enforce it).
    optBoolean(tool.strict, `${param}.strict`);
    return { name, ...(description !== undefined && { description }), ...(parameters !== undefined && { parameters }) };
  });
}

const choiceModes = ['auto', 'none', 'required'] as const;

export function decodeToolChoice(raw: unknown): ToolChoice | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'string') {
    if (!(choiceModes as readonly string[]).includes(raw)) throw badValue('tool_choice', raw, choiceModes);
    return raw as ToolChoice;
  }
  const choice = objectAt(raw, 'tool_choice');
  const type = stringAt(choice.type, 'tool_choice.type');
  if (type === 'function') return { name: stringAt(choice.name, 'tool_choice.name') };
  builtInRefused('tool_choice.type', type);
}
