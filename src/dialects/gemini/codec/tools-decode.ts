// `tools` and `toolConfig` → canonical tools and tool choice. Only function
// declarations cross dialects; Google's own tools (search, code execution,
// URL context…) run inside Gemini and are refused when another provider serves.
import type { ToolChoice, ToolDefinition } from '../../canonical/types.js';
import { geminiSchemaToJsonSchema } from './schema.js';
import { FieldReader, invalid, isRec } from './wire.js';

const DECLARATIONS = new Set(['functionDeclarations', 'function_declarations']);

function decodeDeclaration(raw: unknown, where: string): ToolDefinition {
  if (!isRec(raw)) throw invalid(`${where} must be an object (a function declaration).`, where);
  const r = new FieldReader(raw, where);
  const name = r.string('name', 'name');
  if (!name) throw invalid(`${where}.name is required.`, `${where}.name`);
  const tool: ToolDefinition = { name };
  const description = r.string('description', 'description');
  if (description !== undefined) tool.description = description;
  const jsonSchema = r.object('parametersJsonSchema', 'parameters_json_schema');
  const schema = r.object('parameters', 'parameters');
  if (jsonSchema) tool.parameters = jsonSchema;
  else if (schema) tool.parameters = geminiSchemaToJsonSchema(schema, `${where}.parameters`);
  return tool;
}

export function decodeTools(raw: unknown): ToolDefinition[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) throw invalid('tools must be a list of Tool objects.', 'tools');
  const tools: ToolDefinition[] = [];
  raw.forEach((tool, i) => {
    const where = `tools[${i}]`;
    if (!isRec(tool)) throw invalid(`${where} must be an object.`, where);
    for (const key in tool) {
      const value = tool[key];
      if (value === undefined || value === null) continue;
      if (!DECLARATIONS.has(key)) {
        throw invalid(
          `The Gemini tool '${key}' (${where}) only works on Gemini channels, and this model is served by another provider. Remove it or pick a Gemini model.`,
          `${where}.${key}`,
        );
      }
      if (!Array.isArray(value)) throw invalid(`${where}.${key} must be a list of function declarations.`, `${where}.${key}`);
      value.forEach((decl, j) => tools.push(decodeDeclaration(decl, `${where}.functionDeclarations[${j}]`)));
    }
  });
  return tools.length > 0 ? tools : undefined;
}

export function decodeToolConfig(raw: unknown): ToolChoice | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isRec(raw)) throw invalid('toolConfig must be an object.', 'toolConfig');
  const calling = new FieldReader(raw, 'toolConfig').reader('functionCallingConfig', 'function_calling_config');
  if (!calling) return undefined;
  const mode = calling.string('mode', 'mode')?.toUpperCase();
  const allowed = calling.strings('allowedFunctionNames', 'allowed_function_names');
  switch (mode) {
    case undefined:
    case 'MODE_UNSPECIFIED':
      return undefined;
    case 'AUTO':
    case 'VALIDATED':
      return 'auto';
    case 'NONE':
      return 'none';
    case 'ANY':
      // A single allowed name forces that function; several only narrow the
      // choice, which the hub cannot say: the model must call one of the tools.
      return allowed?.length === 1 ? { name: allowed[0]! } : 'required';
    default:
      throw invalid(
        `Invalid value at 'toolConfig.functionCallingConfig.mode': "${mode}" is not one of AUTO, ANY, NONE, VALIDATED.`,
        'toolConfig.functionCallingConfig.mode',
      );
  }
}
