import { summarize } from './summary';

describe('summarize', () => {
  it('counts nodes, instances, distinct components and membership changes', () => {
    const node = (id: string, components: string[]) => ({
      id,
      roles: [],
      groups: {},
      components: components.map((name) => ({ name, version: '1' })),
    });
    expect(
      summarize(
        { nodes: [node('a', ['x', 'y', 'z']), node('b', ['x']), node('c', [])] },
        {
          name: 'd',
          releases: [],
          packages: [],
          nodes: { add: [node('n', ['x'])], remove: ['b', 'c'] },
        },
      ),
    ).toEqual({ nodes: 3, instances: 4, components: 3, added: 1, removed: 2 });
  });

  it('counts an empty inventory as zeros', () => {
    expect(
      summarize(
        { nodes: [] },
        { name: 'd', releases: [], packages: [], nodes: { add: [], remove: [] } },
      ),
    ).toEqual({ nodes: 0, instances: 0, components: 0, added: 0, removed: 0 });
  });
});
