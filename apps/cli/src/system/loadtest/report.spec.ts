import { percentile, round, stagesPerBatch } from './report';

describe('load-test report figures', () => {
  it('takes nearest-rank percentiles of sorted values', () => {
    const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(values, 50)).toBe(5);
    expect(percentile(values, 95)).toBe(10);
    expect(percentile([], 50)).toBe(0);
  });

  it('counts the longest job (in stages) of each batch', () => {
    expect(stagesPerBatch([[[['a']], [['b'], ['c']]], [[['d']]]])).toEqual([2, 1]);
  });

  it('rounds to a fixed number of digits', () => {
    expect(round(1.23456)).toBe(1.235);
    expect(round(1.23456, 1)).toBe(1.2);
  });
});
