// `tools` / `tool_choice` / `parallel_tool_calls`, and the legacy `functions` /
// `function_call` pair, → canonical tool options.
import type { ToolChoice, ToolDefinition } from '../../canonical/types.js';
import { GatewayError } from '../../errors.js';
import { arrayAt, given, invalidValue, missingParam, objectAt, optionalBoolean, optionalString, stringAt, type Json } from './wire-guards.js';

export interface DecodedTools {
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  parallelToolCalls?: boolean;
}

const choiceModes = ['none', 'auto', 'required'] as const;

export function decodeTools(json: Json): DecodedTools {
  const out: DecodedTools = {};
  const tools = given(json.tools) ? decodeToolList(json.tools) : given(json.functions) ? decodeFunctions(json.functions) : [];
  if (tools.length > 0) out.tools = tools;
  const choice = given(json.tool_choice)
    ? decodeToolChoice(json.tool_choice, 'tool_choice', tools, false)
    : decodeToolChoice(json.function_call, 'function_call', tools, true);
  if (choice !== undefined) out.toolChoice = choice;
  const parallel = optionalBoolean(json.parallel_tool_calls, 'parallel_tool_calls');
  if (parallel !== undefined) out.parallelToolCalls = parallel;
  return out;
}

function decodeToolList(raw: unknown): ToolDefinition[] {
  return arrayAt(raw, 'tools', 'an array of objects').map((item, i) => {
    const param = `tools[${i}]`;
    const tool = objectAt(item, param);
    if (tool.type !== undefined && tool.type !== 'function') throw invalidValue(`${param}.type`, tool.type, ['function']);
    if (!given(tool.function)) throw missingParam(`${param}.function`);
    return decodeFunction(tool.function, `${param}.function`);
  });
}

function decodeFunctions(raw: unknown): ToolDefinition[] {
  return arrayAt(raw, 'functions', 'an array of objects').map((item, i) => decodeFunction(item, `functions[${i}]`));
}

function decodeFunction(raw: unknown, param: string): ToolDefinition {
  const fn = objectAt(raw, param);
  if (!given(fn.name)) throw missingParam(`${param}.name`);
  const name = stringAt(fn.name, `${param}.name`);
  if (name === '') {
    throw new GatewayError('invalid_request', `Invalid '${param}.name': empty string. Expected a string with minimum length 1, but got an empty string instead.`, {
      param: `${param}.name`,
      code: 'empty_string',
    });
  }
  const def: ToolDefinition = { name };
  const description = optionalString(fn.description, `${param}.description`);
  if (description !== undefined) def.description = description;
  if (given(fn.parameters)) def.parameters = objectAt(fn.parameters, `${param}.parameters`);
  return def;
}

function decodeToolChoice(raw: unknown, param: string, tools: ToolDefinition[], legacy: boolean): ToolChoice | undefined {
  if (!given(raw)) return undefined;
  let choice: ToolChoice;
  if (typeof raw === 'string') {
    if (!(choiceModes as readonly string[]).includes(raw) || (legacy && raw === 'required')) throw invalidValue(param, raw, legacy ? ['none', 'auto'] : choiceModes);
    choice = raw as ToolChoice;
  } else {
    const obj = objectAt(raw, param);
    let name: unknown;
    if (legacy) name = obj.name;
    else {
      if (obj.type !== 'function') throw invalidValue(`${param}.type`, obj.type, ['function']);
      name = objectAt(obj.function, `${param}.function`).name;
    }
    const nameParam = legacy ? `${param}.name` : `${param}.function.name`;
    choice = { name: stringAt(name, nameParam) };
  }
  if (tools.length === 0) {
    // 'auto' and 'none' with no tools change nothing; forcing a call to no tool is an error.
    if (choice === 'auto' || choice === 'none') return undefined;
    throw new GatewayError('invalid_request', `Invalid value for '${param}': '${param}' is only allowed when 'tools' are specified.`, { param });
  }
  if (typeof choice === 'object' && !tools.some((t) => t.name === choice.name)) {
    throw new GatewayError('invalid_request', `Invalid value for '${param}': no function named '${choice.name}' is specified in 'tools'.`, {
      param,
      code: 'invalid_value',
    });
  }
  return choice;
}
