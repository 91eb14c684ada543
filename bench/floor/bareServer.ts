/**
 * The floor for a page: a bare Express 5 + Handlebars server rendering a table of 100 rows (about the size of
 * a township establishment page) from data already in memory. No database, session, CSRF, i18n or logging:
 * what any page on this stack costs at least. `PORT` chooses the port.
 */

import express from 'express';
import Handlebars from 'handlebars';

const template =
  Handlebars.compile(`<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{{title}}</title></head>
<body><main><h1>{{title}}</h1><table><thead><tr><th>单位</th><th>岗位</th><th>姓名</th><th>编制类型</th><th>任职时间</th></tr></thead>
<tbody>{{#each rows}}<tr><td>{{unit}}</td><td>{{post}}</td><td>{{name}}</td><td>{{type}}</td><td class="num">{{since}}</td></tr>{{/each}}</tbody></table></main></body></html>`);

const rows = Array.from({ length: 100 }, (_, i) => ({
  unit: `党政综合办公室${i % 12}`,
  post: `干事${i}`,
  name: `张${'三四五六七八九'[i % 7]}${i}`,
  type: i % 3 === 0 ? '行政编制' : '事业编制',
  since: `20${10 + (i % 15)}.0${1 + (i % 9)}`,
}));

const app = express();
app.get('/bare', (_req, res) => {
  res.type('html').send(template({ title: '编制使用情况', rows }));
});
const port = Number(process.env.PORT ?? 3901);
app.listen(port, '127.0.0.1', () => process.stdout.write(`bare server on ${port}\n`));
