// Which of the caller's models the chat playground offers: those that answer
// chat completions (embeddings, speech, rerank and image-only endpoints are left out).

const NOT_CHAT = /embed|rerank|moderation|whisper|tts|transcribe|dall-e|gpt-image|imagen|veo|sora/i;

export function chatModels(models: readonly string[]): string[] {
  return models.filter((m) => !NOT_CHAT.test(m));
}

/** gpt-4o-mini when offered (cheap and quick), else the first. */
export function defaultChatModel(models: readonly string[]): string | undefined {
  return models.includes('gpt-4o-mini') ? 'gpt-4o-mini' : models[0];
}
