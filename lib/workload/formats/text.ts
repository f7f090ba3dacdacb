// Plain text: one prompt a line (empty lines are skipped when indexed).
import { RecordError, type Format } from './types.ts';

export const text: Format = {
  name: 'text',
  layout: 'lines',
  parse(line) {
    if (!line.trim()) throw new RecordError('is empty');
    return { messages: [{ role: 'user', content: line }] };
  },
};
