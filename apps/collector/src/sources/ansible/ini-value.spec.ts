import { parseIniValue, splitHostLine } from './ini-value';

describe('splitHostLine', () => {
  it.each([
    ['web01', ['web01']],
    ['web01 a=1  b=2', ['web01', 'a=1', 'b=2']],
    [`web01 x='a b' y="c d"`, ['web01', 'x=a b', 'y=c d']],
    [`web01 list='["a", "b"]'`, ['web01', 'list=["a", "b"]']],
    ['web01 x="say \\"hi\\""', ['web01', 'x=say "hi"']],
    ['web01 x=a\\ b', ['web01', 'x=a b']],
    ['web01 a=1 # a comment', ['web01', 'a=1']],
    ['web01 a=1#rest', ['web01', 'a=1']],
    ["web01 a='#not a comment'", ['web01', 'a=#not a comment']],
    ['web01 empty=""', ['web01', 'empty=']],
  ])('%s', (line, tokens) => {
    expect(splitHostLine(line)).toEqual(tokens);
  });

  it('reports an unclosed quote', () => {
    expect(splitHostLine(`web01 x='open`)).toBe("no closing ' quote");
  });
});

describe('parseIniValue (Ansible literal evaluation)', () => {
  it.each([
    ['10.0.0.1', '10.0.0.1'],
    ['42', 42],
    ['-3', -3],
    ['1.5', 1.5],
    ['1.10', 1.1],
    ['010', '010'],
    ['True', true],
    ['False', false],
    ['None', null],
    ['true', 'true'],
    ["'quoted'", 'quoted'],
    ['"quoted"', 'quoted'],
    ['[1, 2]', [1, 2]],
    [`{'nova-api': '27.0.1'}`, { 'nova-api': '27.0.1' }],
    ['{"nova-api": "27.0.1"}', { 'nova-api': '27.0.1' }],
    ['[{"name": "x", "version": "1.0"}]', [{ name: 'x', version: '1.0' }]],
    ['{az: az1, rack: "12"}', { az: 'az1', rack: '12' }],
    ['[not closed', '[not closed'],
    ['  padded  ', 'padded'],
  ])('%s', (text, value) => {
    expect(parseIniValue(text)).toEqual(value);
  });
});
