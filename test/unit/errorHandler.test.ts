import { expect } from 'chai';
import express from 'express';
import supertest from 'supertest';
import { databaseStatus, errorHandler } from '../../src/middleware/errors.js';

/** The error handler's safety net for database errors that escape validation (no database needed). */
describe('error handler: database errors that escape validation', () => {
  it('maps SQLSTATE classes: 22 → 400, 23 → 409, lost connections → 503, the rest stays 500', () => {
    expect(databaseStatus('22008')).to.equal(400); // datetime field overflow (2023-02-30)
    expect(databaseStatus('22003')).to.equal(400); // numeric value out of range
    expect(databaseStatus('22021')).to.equal(400); // invalid byte sequence for encoding
    expect(databaseStatus('23505')).to.equal(409); // unique violation
    expect(databaseStatus('23P01')).to.equal(409); // exclusion violation
    expect(databaseStatus('08006')).to.equal(503); // connection failure
    expect(databaseStatus('57P01')).to.equal(503); // admin shutdown (pg_terminate_backend)
    expect(databaseStatus('42P01')).to.equal(undefined); // undefined table: a bug, a 500
  });

  const appThrowing = (err: unknown) => {
    const app = express();
    app.use((req, _res, next) => {
      req.isApi = req.path.startsWith('/api/');
      next();
    });
    app.get(['/api/x', '/x'], () => {
      throw err;
    });
    app.use(errorHandler);
    return app;
  };

  it('answers a localised 400/409/503 in JSON, without the database message', async () => {
    const dateError = Object.assign(new Error('date/time field value out of range: "2023-02-30"'), {
      code: '22008',
    });
    const res = await supertest(appThrowing(dateError)).get('/api/x').set('Accept-Language', 'en');
    expect(res.status).to.equal(400);
    expect(res.body.error.code).to.equal('invalid_data');
    expect(res.body.error.message).to.match(/not acceptable/);
    expect(res.text).not.to.contain('2023-02-30');
    const unique = Object.assign(new Error('duplicate key value violates unique constraint "x"'), {
      code: '23505',
    });
    const conflict = await supertest(appThrowing(unique)).get('/api/x');
    expect(conflict.status).to.equal(409);
    expect(conflict.body.error.message).to.match(/冲突/);
    expect(conflict.text).not.to.contain('duplicate key');
    const lost = await supertest(appThrowing(new Error('Connection terminated unexpectedly'))).get('/api/x');
    expect(lost.status).to.equal(503);
    expect(lost.headers['retry-after']).to.equal('5');
  });

  it('keeps anything else a 500 with a request reference and no detail', async () => {
    const res = await supertest(appThrowing(new TypeError('secret detail'))).get('/api/x');
    expect(res.status).to.equal(500);
    expect(res.text).not.to.contain('secret detail');
  });
});
