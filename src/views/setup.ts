import path from 'node:path';
import type { Express } from 'express';
import { viewsDir } from '../projectFiles.js';
import { createViewEngine } from './engine.js';
import { concat } from './helpers/concat.js';
import { eq } from './helpers/eq.js';
import { join } from './helpers/join.js';
import { t } from './helpers/t.js';

export function setUpViews(app: Express, options: { cache: boolean }): void {
  app.engine(
    'hbs',
    createViewEngine({
      extname: '.hbs',
      defaultLayout: 'main',
      layoutsDir: path.join(viewsDir, 'layouts'),
      partialsDir: path.join(viewsDir, 'partials'),
      helpers: { t, eq, join, concat },
    }),
  );
  app.set('view engine', 'hbs');
  app.set('views', viewsDir);
  app.set('view cache', options.cache);
}
