import { describe, expect, it } from 'vitest';
import { compileGrok, grokMatch, GrokError, parseCustomPatterns } from '../../../src/classifiers/grok';
import { classifyGrok, classifyLog } from '../../../src/classifiers/log';
import { cols, sampleOf } from './helpers';

const combined = [
  '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326 "http://www.example.com/start.html" "Mozilla/4.08 [en] (Win98; I ;Nav)"',
  '10.0.0.2 - - [10/Oct/2000:13:56:01 -0700] "POST /login HTTP/1.1" 302 - "-" "curl/8.0"',
].join('\n');
const common = '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326\nhost.example.com - - [10/Oct/2000:13:55:37 -0700] "GET / HTTP/1.0" 404 -\n';
const syslog = 'Oct 11 22:14:15 mymachine su[230]: \'su root\' failed for lonvick on /dev/pts/8\nOct  1 02:01:01 web1 CRON[1234]: (root) CMD (run-parts /etc/cron.hourly)\n';

describe('grok engine', () => {
  it('compiles nested patterns with named, typed captures', () => {
    const g = compileGrok('%{IP:ip} %{NUMBER:n:int} %{WORD}');
    expect(g.fields.map((f) => f.name)).toEqual(['ip', 'n']);
    expect(grokMatch(g, '10.1.2.3 42 hello')).toEqual({ ip: '10.1.2.3', n: '42' });
    expect(grokMatch(g, '10.1.2.3 42 hello extra')).toBeNull();
  });

  it('uses custom patterns, Oniguruma named groups and literal parentheses', () => {
    const custom = parseCustomPatterns('# ids\nORDERID ORD-[0-9]{4}\nPAREN \\(x\\)\n');
    const g = compileGrok('%{ORDERID:order} (?<qty>[0-9]+) %{PAREN} [(]', custom);
    expect(grokMatch(g, 'ORD-1234 5 (x) (')).toEqual({ order: 'ORD-1234', qty: '5' });
  });

  it('gives specific errors', () => {
    expect(() => compileGrok('%{NOPE:x}')).toThrow(GrokError);
    expect(() => compileGrok('%{A}', { A: '%{B}', B: '%{A}' })).toThrow(/recursive/);
    expect(() => compileGrok('%{INT:x:weird}')).toThrow(/unknown grok type/);
    expect(() => parseCustomPatterns('bad-line')).toThrow(/NAME regex/);
  });
});

describe('log classifiers', () => {
  it('recognises combined Apache logs with typed response and bytes', () => {
    const r = classifyLog(sampleOf(combined))!;
    expect(r.classification).toBe('combined_apache');
    expect(r.certainty).toBe(1);
    expect(cols(r.schema)).toEqual(['clientip:string', 'ident:string', 'auth:string', 'timestamp:string', 'verb:string', 'request:string', 'httpversion:string', 'rawrequest:string', 'response:int', 'bytes:bigint', 'referrer:string', 'agent:string']);
    expect(r.properties.grokPattern).toBe('%{COMBINEDAPACHELOG}');
    expect(r.recordCount).toBe(2);
  });

  it('recognises common Apache logs and syslog lines', () => {
    expect(classifyLog(sampleOf(common))!.classification).toBe('apache');
    const s = classifyLog(sampleOf(syslog))!;
    expect(s.classification).toBe('syslog');
    expect(cols(s.schema)).toEqual(['timestamp:string', 'facility:string', 'priority:string', 'logsource:string', 'program:string', 'pid:int', 'message:string']);
  });

  it('scores the share of matching lines and declines plain text', () => {
    const r = classifyGrok(sampleOf('1 a\n2 b\nxx\n3 c\n'), { classification: 'pairs', pattern: '%{INT:n:int} %{WORD:w}' })!;
    expect(r.certainty).toBe(0.75);
    expect(r.warnings?.[0]).toMatch(/1 of 4 sampled lines/);
    expect(classifyLog(sampleOf('hello world\nthis is prose\n'))).toBeNull();
  });
});
