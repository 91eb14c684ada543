import { type BarChart, legendLayout } from '../establishment/charts.js';

/** The grouped chart's shape with empty value labels (the partial draws both). */
export type ShareChart = Omit<BarChart, 'rows'> & {
  rows: Array<
    Omit<BarChart['rows'][number], 'bars'> & {
      bars: Array<Omit<BarChart['rows'][number]['bars'][number], 'value'> & { value: string }>;
    }
  >;
};

/**
 * A 100% stacked bar per category (shares of a whole), drawn by the same `barChart` partial as the grouped
 * charts: each segment is a bar with its own x. Values are left to the table beside it (and the chart's
 * description), so no text sits on a coloured segment. Series colours are `bar--s0` … `bar--s6`.
 */
export function shareChart(input: {
  title: string;
  series: string[];
  categories: Array<{ label: string; values: number[] }>;
}): ShareChart {
  const LABEL_WIDTH = 170;
  const WIDTH = 720;
  const BAR = 16;
  const GAP = 8;
  const { legend, rows: legendRows } = legendLayout(
    input.series.map((label, i) => ({ label, css: `bar--s${i}` })),
    LABEL_WIDTH,
    WIDTH,
    4,
  );
  const top = 14 + legendRows * 18;
  const plot = WIDTH - LABEL_WIDTH - 20;
  const rows = input.categories.map((c, i) => {
    const total = c.values.reduce((s, v) => s + v, 0);
    const y = top + i * (BAR + GAP);
    let x = LABEL_WIDTH;
    const bars = c.values.map((value, j) => {
      const width = total === 0 ? 0 : Math.round((value / total) * plot);
      const bar = {
        x,
        y,
        width,
        height: BAR,
        css: `bar--s${j}`,
        value: '',
        valueX: x,
        valueY: y + BAR - 3,
      };
      x += width;
      return bar;
    });
    return {
      label: c.label.length > 12 ? `${c.label.slice(0, 11)}…` : c.label,
      labelY: y + BAR - 3,
      flag: null,
      bars,
    };
  });
  const height = top + input.categories.length * (BAR + GAP) + 4;
  const pct = (v: number, total: number) => (total === 0 ? 0 : Math.round((v / total) * 1000) / 10);
  return {
    title: input.title,
    width: WIDTH,
    height,
    legend,
    rows,
    axis: { x: LABEL_WIDTH, y1: top - 4, y2: height - 4 },
    summary: input.categories
      .map((c) => {
        const total = c.values.reduce((s, v) => s + v, 0);
        return `${c.label} ${c.values.map((v, i) => `${input.series[i] ?? ''} ${v} (${pct(v, total)}%)`).join(' ')}`;
      })
      .join('; '),
  };
}
