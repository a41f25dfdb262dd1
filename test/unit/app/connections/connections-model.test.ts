import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../../../src/catalog';
import { parsePastedUrls, s3Connection } from '../../../../src/sources/s3-connection';
import { startS3, type TestS3 } from '../../../support/s3';
import { models, testApp, type TestApp } from '../support';

type Model = ReturnType<typeof models.connections>;
let s3: TestS3;
beforeAll(async () => { s3 = await startS3(); });
afterAll(async () => { await s3.close(); });
const open: Model[] = [];
afterEach(() => { for (const m of open.splice(0)) m.stop(); });

async function started(seed: (app: TestApp) => Promise<void> = async () => undefined): Promise<{ app: TestApp; model: Model }> {
  const app = await testApp();
  await seed(app);
  const model = models.connections(app);
  open.push(model);
  await model.start();
  expect(model.status).toBe('ready');
  return { app, model };
}

describe('the Connections model', () => {
  it('lists connections by name and offers their PUT URLs with the secret part left out of the label', async () => {
    const put = await s3.presignPut('uploads/answer.csv');
    const { model } = await started(async (app) => {
      await app.catalog.put('connection', s3Connection('zz-bucket', parsePastedUrls(`PUT ${put}`).urls));
      await app.catalog.put('connection', { Name: 'aa-jdbc', ConnectionType: 'JDBC', ConnectionProperties: {} });
    });
    expect(model.connections.map((c) => c.Name)).toEqual(['aa-jdbc', 'zz-bucket']);
    const [choice, ...more] = model.putChoices();
    expect(more).toEqual([]);
    expect(choice!.url).toBe(put);
    expect(choice!.label).toMatch(/^zz-bucket: lake\/uploads\/answer\.csv \(/);
    expect(choice!.label).not.toMatch(/Signature/);
  });

  it('writes a query\'s result and PUTs it to the presigned URL, where it reads back', async () => {
    const { model } = await started();
    model.sql = "SELECT 42 AS answer, 'yes' AS sure";
    model.format = 'csv';
    await model.uploadQuery();
    expect(model.uploadError).toBe('Paste a presigned PUT URL first');
    model.putUrl = await s3.presignPut('uploads/q.csv');
    await model.uploadQuery();
    expect(model.uploadError).toBeNull();
    expect(model.uploading).toBe(false);
    expect(model.uploaded).toHaveLength(1);
    const body = await (await s3.client.send(new GetObjectCommand({ Bucket: 'lake', Key: 'uploads/q.csv' }))).Body!.transformToString();
    expect(body).toBe('answer,sure\n42,yes\n');
  });

  it('says why a query could not be uploaded', async () => {
    const { model } = await started();
    model.sql = 'SELECT * FROM no_such_table';
    model.putUrl = await s3.presignPut('uploads/never.csv');
    await model.uploadQuery();
    expect(model.uploadError).toMatch(/no_such_table/);
    expect(model.uploaded).toBeNull();
  });

  it('deletes a connection as listed, but not one another tab changed since', async () => {
    const { app, model } = await started(async (a) => { await a.catalog.put('connection', { Name: 'c', ConnectionType: 'JDBC', ConnectionProperties: {} }); });
    // Another tab whose change has not reached this one yet (no broadcast): the list still shows version 0.
    const other = await Catalog.open({ factory: app.factory });
    await other.put('connection', { Name: 'c', ConnectionType: 'JDBC', ConnectionProperties: { X: '1' } }, { expectedVersionId: '0' });
    other.close();
    await model.deleteConnection('c');
    expect(model.error).toMatch(/changed in another tab/);
    expect(model.connections.map((c) => c.VersionId)).toEqual(['1']);
    await model.deleteConnection('c');
    expect(model.error).toBeNull();
    expect(model.connections).toEqual([]);
  });
});
