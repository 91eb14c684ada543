import type { Express } from 'express';
import supertest from 'supertest';
import { DEMO_PASSWORD } from '../../seeds/demo/index.js';

export type Agent = ReturnType<typeof supertest.agent>;

/** The CSRF token from the first hidden _csrf field of a page. */
export function csrfFrom(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m?.[1]) throw new Error('no CSRF token on the page');
  return m[1];
}

export async function csrfOf(agent: Agent, path = '/login'): Promise<string> {
  const res = await agent.get(path);
  return csrfFrom(res.text);
}

/** A supertest agent signed in as a demo account (cookie jar kept). */
export async function signIn(app: Express, username: string, password = DEMO_PASSWORD): Promise<Agent> {
  const agent = supertest.agent(app);
  const token = await csrfOf(agent);
  const res = await agent.post('/login').type('form').send({ _csrf: token, username, password });
  if (res.status !== 303) throw new Error(`sign-in as ${username} failed with ${res.status}`);
  return agent;
}
