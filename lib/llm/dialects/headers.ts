// The request headers of every OpenAI-shaped dialect (chat, Responses, completions, embeddings).
/** JSON body, the caller's extra headers, and the key as a bearer token */
export function bearerHeaders(apiKey: string | undefined, extra: Record<string, string>): Record<string, string> {
  const h: Record<string, string> = { 'content-type': 'application/json', ...extra };
  if (apiKey) h.authorization = `Bearer ${apiKey}`; // "Bearer" + one space: the seed's common error 1
  return h;
}
