import {
  hostFromToken,
  hostOfNodeSubject,
  hostToken,
  setSubjectNamespace,
  Streams,
  subjectNamespace,
  Subjects,
  subjectToken,
} from './subjects';

describe('subjects', () => {
  afterEach(() => setSubjectNamespace(''));

  it('names every subject of runtime.md under the ferry prefix', () => {
    expect(Subjects.collect()).toBe('ferry.collect');
    expect(Subjects.slice()).toBe('ferry.slice');
    expect([
      Subjects.runStart(),
      Subjects.runPause(),
      Subjects.runResume(),
      Subjects.runCancel(),
    ]).toEqual(['ferry.run.start', 'ferry.run.pause', 'ferry.run.resume', 'ferry.run.cancel']);
    expect(Subjects.nodeJobs('cmp-01')).toBe('ferry.node.cmp-01.jobs');
    expect(Subjects.nodeHeartbeat('cmp-01')).toBe('ferry.node.cmp-01.heartbeat');
    expect(Subjects.status('r1')).toBe('ferry.status.r1');
    expect(Subjects.progress('r1')).toBe('ferry.progress.r1');
    expect(Subjects.runGate('r1')).toBe('ferry.run.r1.gate');
    expect(Subjects.runJobEnd('r1')).toBe('ferry.run.r1.job-end');
    expect(Subjects.runHalt('r1')).toBe('ferry.run.r1.halt');
  });

  it('has wildcards that match the subjects they stand for', () => {
    expect(Subjects.nodeJobsAll()).toBe('ferry.node.*.jobs');
    expect(Subjects.statusAll()).toBe('ferry.status.>');
    expect(Streams.status()).toEqual({
      name: 'FERRY_STATUS',
      subjects: ['ferry.status.>'],
      consumer: 'ferry-status-receiver',
    });
  });

  it('escapes dots in node ids reversibly, so a host is one subject token', () => {
    expect(hostToken('10.0.0.1')).toBe('10~d0~d0~d1');
    expect(Subjects.nodeJobs('db.example:1')).toBe('ferry.node.db~dexample:1.jobs');
    expect(hostFromToken(hostToken('a.b~c.d'))).toBe('a.b~c.d');
    expect(hostOfNodeSubject(Subjects.nodeHeartbeat('10.0.0.1'))).toBe('10.0.0.1');
  });

  it('refuses tokens that would address another subject', () => {
    for (const bad of ['', 'a.b', 'a*', 'a>', 'a b'])
      expect(() => subjectToken(bad)).toThrow(/invalid/);
    expect(() => Subjects.status('x.y')).toThrow(/run id/);
  });

  it('gives a namespace its own subjects, stream and consumer', () => {
    setSubjectNamespace('blue');
    expect(subjectNamespace()).toBe('blue');
    expect(Subjects.collect()).toBe('ferry-blue.collect');
    expect(Streams.status()).toEqual({
      name: 'FERRY_STATUS_BLUE',
      subjects: ['ferry-blue.status.>'],
      consumer: 'ferry-status-receiver-blue',
    });
    expect(() => setSubjectNamespace('Blue.1')).toThrow(/FERRY_NAMESPACE/);
  });
});
