import type { JsMsg } from 'nats';
import type { AttemptRow } from '@ferry/storage';
import { transactionsOf, type Incoming } from './report-writer.service';

const item = (reports: number): Incoming => ({
  msg: {} as JsMsg,
  rows: new Array<AttemptRow>(reports),
});

describe('transactionsOf', () => {
  it('cuts a backlog at the report limit without splitting a message', () => {
    const batch = [item(3), item(3), item(3), item(1)];
    expect(transactionsOf(batch, 6).map((t) => t.map((i) => i.rows.length))).toEqual([
      [3, 3],
      [3, 1],
    ]);
  });

  it('gives a message larger than the limit a transaction of its own', () => {
    expect(transactionsOf([item(1), item(10), item(1)], 4).map((t) => t.length)).toEqual([1, 1, 1]);
  });

  it('returns nothing for nothing', () => {
    expect(transactionsOf([], 10)).toEqual([]);
  });
});
