import { OutputTail } from './output-tail';

describe('OutputTail', () => {
  it('keeps everything under the limit, in arrival order', () => {
    const tail = new OutputTail(16);
    tail.push(Buffer.from('abc'));
    tail.push('def');
    expect(tail.text()).toBe('abcdef');
  });

  it('keeps exactly the last `limit` bytes across many chunks', () => {
    const tail = new OutputTail(10);
    for (let i = 0; i < 100; i++) tail.push(String(i % 10));
    expect(tail.text()).toBe('0123456789');
  });

  it('cuts inside one large chunk', () => {
    const tail = new OutputTail(4);
    tail.push('abcdefgh');
    expect(tail.text()).toBe('efgh');
  });

  it('drops a character cut in half at the start instead of decoding half of it', () => {
    const tail = new OutputTail(4);
    tail.push('aé€'); // 1 + 2 + 3 bytes: the last 4 bytes start inside "é"
    expect(tail.text()).toBe('€');
  });
});
