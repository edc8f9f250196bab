import { SseParser } from './sse';

describe('SseParser', () => {
  it('dispatches an event at the blank line, with its type and data', () => {
    const parser = new SseParser();
    expect(parser.feed('event: progress\ndata: {"a":1}\n\n')).toEqual([
      { event: 'progress', data: '{"a":1}' },
    ]);
  });

  it('defaults the type to "message" and joins data lines with newlines', () => {
    const parser = new SseParser();
    expect(parser.feed('data: one\ndata: two\n\n')).toEqual([
      { event: 'message', data: 'one\ntwo' },
    ]);
  });

  it('completes events split at any byte boundary, including inside CRLF', () => {
    const text =
      'event: state\r\ndata: {"state":"running"}\r\n\r\nevent: progress\r\ndata: x\r\n\r\n';
    for (let cut = 1; cut < text.length; cut++) {
      const parser = new SseParser();
      const events = [...parser.feed(text.slice(0, cut)), ...parser.feed(text.slice(cut))];
      expect(events).toEqual([
        { event: 'state', data: '{"state":"running"}' },
        { event: 'progress', data: 'x' },
      ]);
    }
  });

  it('accepts lone CR line ends (a CR at the end of a chunk waits to see whether an LF follows)', () => {
    const parser = new SseParser();
    expect(parser.feed('event: a\rdata: b\r\r')).toEqual([]);
    expect(parser.feed('data: c\r\r')).toEqual([{ event: 'a', data: 'b' }]);
    expect(parser.end()).toEqual([{ event: 'message', data: 'c' }]);
  });

  it('ignores comments (keep-alives), unknown fields and events without data', () => {
    const parser = new SseParser();
    expect(parser.feed(': ping\n\nfoo: bar\nevent: lonely\n\ndata: kept\n\n')).toEqual([
      { event: 'message', data: 'kept' },
    ]);
  });

  it('keeps the last event id and the retry advice for reconnecting', () => {
    const parser = new SseParser();
    const events = parser.feed('id: 7\nretry: 1500\nevent: progress\ndata: {}\n\n');
    expect(events).toEqual([{ event: 'progress', data: '{}', id: '7' }]);
    expect(parser.lastEventId).toBe('7');
    expect(parser.retryMs).toBe(1500);
    parser.feed('retry: soon\n\n');
    expect(parser.retryMs).toBe(1500);
  });

  it('takes a value without a space after the colon, and a field without a colon as empty', () => {
    const parser = new SseParser();
    expect(parser.feed('data:tight\ndata\n\n')).toEqual([{ event: 'message', data: 'tight\n' }]);
  });

  it('strips a leading byte order mark once', () => {
    const parser = new SseParser();
    expect(parser.feed('\ufeffdata: x\n\n')).toEqual([{ event: 'message', data: 'x' }]);
  });

  it('drops an unterminated event when the stream ends', () => {
    const parser = new SseParser();
    expect(parser.feed('event: progress\ndata: half')).toEqual([]);
    expect(parser.end()).toEqual([]);
    expect(parser.feed('data: next\n\n')).toEqual([{ event: 'message', data: 'next' }]);
  });
});
