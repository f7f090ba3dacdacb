// What every dialect's stream reader holds: the result being built, the text sink, tool calls by
// index, and the byte fast path for the dialect's common text-delta event (TextChunk with the
// dialect's own prefix and tails). A dialect adds onEvent and its own truncation rule in finish().
import { TextSink } from '../text-sink.ts';
import { TextChunk } from '../bytes.ts';
import { NO_OUTPUT } from '../types.ts';
import type { EventVerdict, ReadResult, StreamReader, ToolCall } from '../types.ts';

export abstract class ReaderBase implements StreamReader {
  protected r: ReadResult = { content: '', reasoning: '', toolCalls: [], finishReason: null, usage: null, outputEvents: 0, done: false, error: null };
  protected content = new TextSink();
  protected tools = new Map<number, ToolCall>();
  /** a fatal event was read: nothing after it counts */
  protected failed = false;
  private readonly chunk: TextChunk;

  constructor(prefixEnd: ConstructorParameters<typeof TextChunk>[0], tails: ConstructorParameters<typeof TextChunk>[1]) {
    this.chunk = new TextChunk(prefixEnd, tails);
  }

  abstract onEvent(event: string, data: string): EventVerdict;
  abstract finish(): ReadResult;

  onDataBytes(buf: Buffer, start: number, end: number): EventVerdict | null {
    return this.failed ? NO_OUTPUT : this.chunk.read(buf, start, end, this.content, this.r);
  }

  /** the text and the tool calls (in index order) into the result, before a dialect's rules */
  protected collect(): ReadResult {
    this.r.content = this.content.toString();
    this.r.toolCalls = [...this.tools.values()].sort((a, b) => a.index - b.index);
    return this.r;
  }
}
