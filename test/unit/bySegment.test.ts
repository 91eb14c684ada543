import { expect } from 'chai';
import express, { type Router } from 'express';
import request from 'supertest';
import { bySegment, firstSegmentOf } from '../../src/routes/bySegment.js';

/** An app of two routers mounted at the root like the signed-in ones, each counting the requests it saw. */
function appOf(first: Router, second: Router) {
  const seen = { first: 0, second: 0 };
  const count =
    (name: keyof typeof seen): express.RequestHandler =>
    (_req, _res, next) => {
      seen[name] += 1;
      next();
    };
  const app = express();
  app.use(count('first'), bySegment(first));
  app.use(count('second'), bySegment(second));
  app.use((_req, res) => {
    res.status(404).send('none');
  });
  return { app, seen };
}

describe('routers entered by first path segment', () => {
  it('reads the first segment of literal paths only', () => {
    expect(firstSegmentOf('/people/:id/career')).to.equal('people');
    expect(firstSegmentOf('/Inbox')).to.equal('inbox');
    expect(firstSegmentOf('/movement-batches/:id')).to.equal('movement-batches');
    expect(firstSegmentOf('/')).to.equal('');
    for (const any of ['//x', '/:id', '/*splat', '/{people}', 'people', /x/, ['/a', '/b'], undefined])
      expect(firstSegmentOf(any), String(any)).to.equal(null);
  });

  it('answers as the routers did: case-insensitive, trailing slash, later routers reached', async () => {
    const people = express.Router();
    people.get('/people/:id/career', (req, res) => {
      res.send(`career ${req.params.id}`);
    });
    const inbox = express.Router();
    inbox.get('/inbox', (_req, res) => {
      res.send('inbox');
    });
    inbox.post('/people/:id/note', (_req, res) => {
      res.send('note');
    });
    const { app } = appOf(people, inbox);
    expect((await request(app).get('/people/7/career')).text).to.equal('career 7');
    expect((await request(app).get('/People/7/Career')).text).to.equal('career 7');
    expect((await request(app).get('/people/7/career/')).text).to.equal('career 7');
    expect((await request(app).get('/inbox')).text).to.equal('inbox');
    expect((await request(app).get('/INBOX/')).text).to.equal('inbox');
    // Both routers own /people: the second is still reached for what the first does not answer.
    expect((await request(app).post('/people/7/note')).text).to.equal('note');
    expect((await request(app).get('/nowhere')).status).to.equal(404);
    expect((await request(app).get('/')).status).to.equal(404);
    // The root is a segment of its own.
    const home = express.Router();
    home.get('/', (_req, res) => {
      res.send('home');
    });
    const rooted = appOf(home, inbox);
    expect((await request(rooted.app).get('/')).text).to.equal('home');
    expect((await request(rooted.app).get('/inbox')).text).to.equal('inbox');
    expect(rooted.seen).to.deep.equal({ first: 2, second: 1 });
  });

  it('a router with middleware or a route of any first segment is always entered', async () => {
    const withMiddleware = express.Router();
    let ran = 0;
    withMiddleware.use((_req, _res, next) => {
      ran += 1;
      next();
    });
    withMiddleware.get('/a', (_req, res) => {
      res.send('a');
    });
    const withParam = express.Router();
    withParam.get('/:slug', (req, res) => {
      res.send(`slug ${req.params.slug}`);
    });
    expect(bySegment(withMiddleware)).to.equal(withMiddleware);
    expect(bySegment(withParam)).to.equal(withParam);
    const { app } = appOf(withMiddleware, withParam);
    expect((await request(app).get('/b')).text).to.equal('slug b');
    expect(ran).to.equal(1);
  });

  it('a router is not entered by a request for another first segment', async () => {
    const people = express.Router();
    let entered = 0;
    people.get(
      '/people',
      (_req, _res, next) => {
        entered += 1;
        next();
      },
      (_req, res) => {
        res.send('people');
      },
    );
    const other = express.Router();
    other.get('/inbox', (_req, res) => {
      res.send('inbox');
    });
    const wrapped = bySegment(people);
    expect(wrapped).not.to.equal(people);
    // Its routes stay visible through the wrapper (the authorisation matrix walks them).
    expect((wrapped as unknown as { stack: unknown }).stack).to.equal(
      (people as unknown as { stack: unknown }).stack,
    );
    const { app } = appOf(people, other);
    expect((await request(app).get('/inbox')).text).to.equal('inbox');
    expect(entered).to.equal(0);
    expect((await request(app).get('/people')).text).to.equal('people');
    expect(entered).to.equal(1);
  });
});
