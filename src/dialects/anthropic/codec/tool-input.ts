/**
 * Tool arguments (JSON text, as the model wrote them) → a tool_use `input`.
 * Anthropic requires an object there, so anything unparsable or not an object becomes {}.
 */
export function toolInput(args: string): Record<string, unknown> {
  if (args === '') return {};
  try {
    const parsed: unknown = JSON.parse(args);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
