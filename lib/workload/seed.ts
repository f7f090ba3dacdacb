// The seed article's workload (shared/seeds): model mix with weights, prompts, system message.
export interface SeedModel { model: string; weight: number; maxTokens: number; listPriceOutput: number }

export const SEED_MODELS: SeedModel[] = [
  { model: 'gpt-4.1', weight: 40, maxTokens: 500, listPriceOutput: 8 },
  { model: 'claude-sonnet-4.5', weight: 30, maxTokens: 500, listPriceOutput: 15 },
  { model: 'gemini-2.5-flash', weight: 20, maxTokens: 500, listPriceOutput: 2.5 },
  { model: 'deepseek-v3.2', weight: 10, maxTokens: 500, listPriceOutput: 0.42 },
];

export const SEED_PROMPTS = [
  'Explain the difference between REST and GraphQL APIs with concrete examples',
  'Write a complete Express.js middleware for JWT authentication with refresh tokens',
  'How do you implement optimistic locking in PostgreSQL for high-concurrency scenarios?',
  'Debug this race condition in my Node.js async/await code',
  'Compare Redis vs Memcached for session storage in a distributed system',
  'What are the security best practices for AWS Lambda functions accessing DynamoDB?',
];

export const SEED_SYSTEM = 'You are a helpful technical assistant.';
export const SEED_STREAM_PROMPT = 'Explain container orchestration with Kubernetes';
