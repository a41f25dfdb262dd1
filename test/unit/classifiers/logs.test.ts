import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classify } from '../../../src/classifiers/classify';
import { classifyCsv } from '../../../src/classifiers/csv';
import { compileGrok, customPatternsFor, GROK_PATTERNS, grokMatch } from '../../../src/classifiers/grok';
import { classifyJson } from '../../../src/classifiers/json';
import { classifyLog, classifyTextLog, looksLikeLog, TEXT_LOG_CERTAINTY } from '../../../src/classifiers/log';
import { cols, sampleOf } from './helpers';

const FIXTURES = join(__dirname, '../../fixtures/logs');
const fixture = (name: string) => readFileSync(join(FIXTURES, name));
const classifyFixture = (name: string) => classify(sampleOf(fixture(name), name));

const LOG4J = ['timestamp:string', 'thread:string', 'level:string', 'logger:string', 'message:string'];
const SYSLOG = ['timestamp:string', 'facility:string', 'priority:string', 'logsource:string', 'program:string', 'pid:int', 'message:string'];
const TIMED = ['timestamp:string', 'message:string'];

/** Every committed log fixture, its classification and columns (test/fixtures/logs/README.md). */
const EXPECTED: Record<string, [string, string[]]> = {
  'apache_error.log': ['apache_error', ['timestamp:string', 'module:string', 'loglevel:string', 'pid:int', 'tid:bigint', 'clientip:string', 'clientport:int', 'message:string']],
  'hadoop.log': ['log4j', LOG4J],
  'zookeeper.log': ['log4j', LOG4J],
  'spark.log': ['log4j', LOG4J],
  'hdfs.log': ['log4j', LOG4J],
  'kafka_server.log': ['log4j', LOG4J],
  'windows_cbs.log': ['windows_cbs', ['timestamp:string', 'level:string', 'component:string', 'message:string']],
  'linux_syslog.log': ['syslog', SYSLOG],
  'mac_syslog.log': ['syslog', SYSLOG],
  'openssh.log': ['syslog', SYSLOG],
  'syslog5424.log': ['syslog_rfc5424', ['priority:int', 'version:int', 'timestamp:string', 'host:string', 'app:string', 'procid:string', 'msgid:string', 'structured_data:string', 'message:string']],
  'healthapp.log': ['log', TIMED],
  'proxifier.log': ['log', TIMED],
  'android.log': ['log', TIMED],
  'bgl.log': ['log', ['message:string']],
  'hpc.log': ['log', ['message:string']],
  'thunderbird.log': ['log', ['message:string']],
  'openstack.log': ['log', ['message:string']],
};

describe('log fixtures: every family classified right, none as JSON or CSV (issue 17)', () => {
  it('covers every committed fixture', () => {
    expect(readdirSync(FIXTURES).filter((f) => f.endsWith('.log')).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [name, [classification, columns]] of Object.entries(EXPECTED)) {
    it(`${name} is ${classification}`, async () => {
      const r = await classifyFixture(name);
      expect(r.classification).toBe(classification);
      expect(cols(r.schema)).toEqual(columns);
      expect(r.properties.grokPattern).toBeTruthy();
      expect(r.properties.delimiter).toBeUndefined();
      // Also when the file is not named .log: content decides.
      expect((await classify(sampleOf(fixture(name), 'data'))).classification).toBe(classification);
    });
  }

  it('gives real certainty to the families and a low one to the text fallback', async () => {
    expect((await classifyFixture('zookeeper.log')).certainty).toBe(1);
    expect((await classifyFixture('proxifier.log')).certainty).toBe(TEXT_LOG_CERTAINTY);
  });
});

describe('logs mistaken for JSON or CSV (issue 17 regressions)', () => {
  it('does not read "[10.30 16:49:06] chrome.exe ..." as a JSON array (issue 17: Proxifier classified json, `[10.30` read as an array)', async () => {
    const proxifier = fixture('proxifier.log');
    expect(classifyJson(sampleOf(proxifier))).toBeNull();
    const r = await classify(sampleOf(proxifier, 'Proxifier_2k.log'));
    expect(r.classification).toBe('log');
    expect(grokMatch(compileGrok(r.properties.grokPattern!), '[10.30 16:49:06] chrome.exe - proxy.example.edu:5070 open through proxy proxy.example.edu:5070 HTTPS'))
      .toEqual({ timestamp: '10.30 16:49:06', message: 'chrome.exe - proxy.example.edu:5070 open through proxy proxy.example.edu:5070 HTTPS' });
  });

  it('still reads JSON that breaks after its first line as JSON with a warning (the guard is only for the first line)', async () => {
    const r = classifyJson(sampleOf('[{"a": 1},\n{"a": 2}\n oops'))!;
    expect(r.classification).toBe('json');
    expect(r.warnings?.join(' ')).toMatch(/syntax error/);
    expect(classifyJson(sampleOf('[1, 2, 3]\n'))!.classification).toBe('json');
  });

  it('does not split Hadoop/Zookeeper/Windows lines on the comma of "17:41:44,747" or "04:30:30, Info" (issue 17: classified csv)', async () => {
    for (const name of ['hadoop.log', 'zookeeper.log', 'windows_cbs.log']) {
      const s = sampleOf(fixture(name));
      expect(classifyCsv(s)?.classification, `${name} splits as CSV on its own`).toBe('csv');
      expect(looksLikeLog(s), name).toBe(true);
      expect((await classify(s)).classification, name).not.toBe('csv');
    }
    const zk = (await classifyFixture('zookeeper.log'));
    const line = '2015-07-29 17:41:44,747 - INFO  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:FastLeaderElection@774] - Notification time out: 3200';
    expect(grokMatch(compileGrok(zk.properties.grokPattern!), line)).toEqual({
      timestamp: '2015-07-29 17:41:44,747', level: 'INFO', thread: 'QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:FastLeaderElection@774', message: 'Notification time out: 3200',
    });
  });

  it('does not read pipe-delimited HealthApp lines as CSV (issue 17: HealthApp read as delimited)', async () => {
    const s = sampleOf(fixture('healthapp.log'));
    expect(looksLikeLog(s)).toBe(true);
    const r = await classify(s);
    expect(r.classification).toBe('log');
    expect(grokMatch(compileGrok(r.properties.grokPattern!), '20171223-22:15:29:606|Step_LSC|30002312|onStandStepChanged 3579'))
      .toEqual({ timestamp: '20171223-22:15:29:606', message: 'Step_LSC|30002312|onStandStepChanged 3579' });
  });

  it('keeps CSVs CSV: a header row, a headerless datetime-led CSV of plain values, quoted free text', async () => {
    const csvs = [
      'time,level,message\n2020-01-01 10:00:00,INFO,server started on port 80\n2020-01-01 10:00:05,WARN,disk almost full\n',
      '2012-01-01 00:00:00,0.0,12.8,5.0\n2012-01-02 00:00:00,10.9,10.6,2.8\n2012-01-03 00:00:00,0.8,11.7,7.2\n',
      '2012-01-01 00:00:00, 0.0, 12.8\n2012-01-02 00:00:00, 10.9, 10.6\n',
      '2020-01-01 10:00:00,"alice","logged in, from home"\n2020-01-01 10:05:00,"bob","logged out"\n',
    ];
    for (const text of csvs) {
      expect(looksLikeLog(sampleOf(text)), text).toBe(false);
      expect((await classify(sampleOf(text))).classification, text).toBe('csv');
    }
  });

  it('classifies the papaparse test CSVs exactly as before (real CSVs are never taken for logs)', async () => {
    const dir = join(__dirname, '../../../node_modules/papaparse/tests');
    const files = readdirSync(dir).filter((f) => f.endsWith('.csv'));
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const f of files) {
      const s = sampleOf(readFileSync(join(dir, f)), f);
      expect(looksLikeLog(s), f).toBe(false);
      const direct = classifyCsv(s);
      const r = await classify(s);
      expect(r.classification, f).toBe(direct ? 'csv' : 'UNKNOWN');
      if (direct) expect(cols(r.schema), f).toEqual(cols(direct.schema));
    }
  });
});

describe('log families', () => {
  it('carries the definitions of Epoxy-only patterns as custom patterns, dependencies first, for Glue and Athena', async () => {
    expect(customPatternsFor('%{JAVALOG}').split('\n').map((l) => l.split(' ')[0])).toEqual(['JAVALOGTIME', 'JAVALOGGER', 'JAVALOG']);
    expect(customPatternsFor('%{JAVALOG}').split('\n')[2]).toBe(`JAVALOG ${GROK_PATTERNS['JAVALOG']}`);
    expect(customPatternsFor('%{COMBINEDAPACHELOG}')).toBe('');
    expect((await classifyFixture('hadoop.log')).properties.grokCustomPatterns).toBe(customPatternsFor('%{JAVALOG}'));
    expect((await classifyFixture('proxifier.log')).properties.grokCustomPatterns).toMatch(/^LOGTIMESTAMP /);
    expect((await classifyFixture('openssh.log')).properties.grokCustomPatterns).toBeUndefined();
  });

  it('reads Apache 2.4 error lines with module, pid, tid and client port', () => {
    const g = compileGrok('%{APACHEERRORLOG}');
    expect(grokMatch(g, '[Tue Mar 07 10:42:29.902022 2006] [core:error] [pid 35708:tid 4328636416] [client 192.0.2.15:50232] AH00128: File does not exist: /srv/www/robots.txt')).toEqual({
      timestamp: 'Tue Mar 07 10:42:29.902022 2006', module: 'core', loglevel: 'error', pid: '35708', tid: '4328636416', clientip: '192.0.2.15', clientport: '50232', message: 'AH00128: File does not exist: /srv/www/robots.txt',
    });
    expect(grokMatch(g, '[Sun Dec 04 04:47:44 2005] [error] mod_jk child workerEnv in error state 6')).toEqual({ timestamp: 'Sun Dec 04 04:47:44 2005', loglevel: 'error', message: 'mod_jk child workerEnv in error state 6' });
  });

  it('reads Spark, HDFS and Kafka log4j lines into the same columns', () => {
    const g = compileGrok('%{JAVALOG}');
    expect(grokMatch(g, '17/06/09 20:10:40 INFO executor.CoarseGrainedExecutorBackend: Registered signal handlers for [TERM, HUP, INT]'))
      .toEqual({ timestamp: '17/06/09 20:10:40', level: 'INFO', logger: 'executor.CoarseGrainedExecutorBackend', message: 'Registered signal handlers for [TERM, HUP, INT]' });
    expect(grokMatch(g, '081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block blk_38865049064139660 terminating'))
      .toEqual({ timestamp: '081109 203615', thread: '148', level: 'INFO', logger: 'dfs.DataNode$PacketResponder', message: 'PacketResponder 1 for block blk_38865049064139660 terminating' });
    expect(grokMatch(g, '[2016-12-19 18:02:24,289] INFO The cleaning for partition [test,0] is aborted (kafka.log.LogCleaner)'))
      .toEqual({ timestamp: '2016-12-19 18:02:24,289', level: 'INFO', message: 'The cleaning for partition [test,0] is aborted (kafka.log.LogCleaner)' });
  });

  it('reads RFC 5424 syslog with structured data, and the macOS kernel\'s pid 0 in RFC 3164 lines', () => {
    expect(grokMatch(compileGrok('%{SYSLOG5424LOG}'), '<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application"] An application event'))
      .toEqual({ priority: '165', version: '1', timestamp: '2003-10-11T22:14:15.003Z', host: 'mymachine.example.com', app: 'evntslog', msgid: 'ID47', structured_data: '[exampleSDID@32473 iut="3" eventSource="Application"]', message: 'An application event' });
    expect(grokMatch(compileGrok('%{SYSLOGLINE}'), 'Jul  1 09:00:55 mbp kernel[0]: AirPort: Link Down on awdl0.')).toMatchObject({ program: 'kernel', pid: '0' });
  });

  it('reads a Java stack trace as part of its record: continuation lines do not lower the certainty', () => {
    const text = '2015-10-18 18:02:11,019 ERROR [main] org.example.App: failed\njava.net.ConnectException: Connection refused\n\tat sun.nio.ch.SocketChannelImpl.checkConnect(Native Method)\n\tat org.example.App.run(App.java:12)\nCaused by: java.io.IOException: closed\n\t... 3 more\n2015-10-18 18:02:12,000 INFO [main] org.example.App: retrying\n';
    const r = classifyLog(sampleOf(text))!;
    expect(r.classification).toBe('log4j');
    expect(r.certainty).toBe(1);
    expect(r.warnings).toEqual(['5 continuation lines (stack traces, indented lines) are read as part of the record above them']);
  });
});

describe('text-log fallback (a log no format knows: one message column per line)', () => {
  it('leaves prose and README-like text UNKNOWN, as before', async () => {
    expect(classifyTextLog(sampleOf('# Data\n\nThis folder holds the sales exports.\nAsk Ana before changing them.\n', 'README.md'))).toBeNull();
    expect((await classify(sampleOf('just some words on one line'))).classification).toBe('UNKNOWN');
  });

  it('reads any line-oriented text named .log as a message table', async () => {
    const r = await classify(sampleOf('starting worker\nworker ready\nshutting down\n', 'worker.log'));
    expect(r).toMatchObject({ classification: 'log', certainty: TEXT_LOG_CERTAINTY, recordCount: 3, properties: { grokPattern: '%{GREEDYDATA:message}' } });
    expect(cols(r.schema)).toEqual(['message:string']);
    expect(r.warnings).toContain('no known log format matched: each line is one record');
  });

  it('never beats a real format: a CSV that also looks line-oriented stays CSV', async () => {
    const r = await classify(sampleOf('id,when\n1,2020-01-01 10:00:00\n2,2020-01-02 11:00:00\n', 'export.log'));
    expect(r.classification).toBe('csv');
  });

  it('ignores binary bytes', () => {
    expect(classifyTextLog(sampleOf(new Uint8Array([0, 1, 2, 3, 10, 0, 5, 10]), 'x.log'))).toBeNull();
  });
});
