/**
 * Server-rendered SVG bar charts (no script, no inline style: colours come from CSS classes). The view model
 * computes every coordinate; the template only draws.
 */
export interface BarChartInput {
  title: string;
  series: Array<{ key: string; label: string; css: string }>;
  categories: Array<{ label: string; values: number[]; flag?: string }>;
}

export interface BarChart {
  title: string;
  width: number;
  height: number;
  legend: Array<{ x: number; y: number; label: string; css: string }>;
  rows: Array<{
    label: string;
    labelY: number;
    flag: string | null;
    bars: Array<{
      x: number;
      y: number;
      width: number;
      height: number;
      css: string;
      value: number;
      valueX: number;
      valueY: number;
    }>;
  }>;
  axis: { x: number; y1: number; y2: number };
  summary: string;
}

const LABEL_WIDTH = 170;
const CHART_WIDTH = 720;
const BAR_HEIGHT = 12;
const BAR_GAP = 3;
const GROUP_GAP = 12;
const TOP = 34;

export function barChart(input: BarChartInput): BarChart {
  const max = Math.max(1, ...input.categories.flatMap((c) => c.values));
  const plotWidth = CHART_WIDTH - LABEL_WIDTH - 50;
  const groupHeight = input.series.length * (BAR_HEIGHT + BAR_GAP) + GROUP_GAP;
  const rows = input.categories.map((c, i) => {
    const top = TOP + i * groupHeight;
    return {
      label: c.label.length > 12 ? `${c.label.slice(0, 11)}…` : c.label,
      labelY: top + (input.series.length * (BAR_HEIGHT + BAR_GAP)) / 2 + 4,
      flag: c.flag ?? null,
      bars: c.values.map((value, j) => {
        const width = Math.round((value / max) * plotWidth);
        const y = top + j * (BAR_HEIGHT + BAR_GAP);
        return {
          x: LABEL_WIDTH,
          y,
          width,
          height: BAR_HEIGHT,
          css: (input.series[j] as { css: string }).css,
          value,
          valueX: LABEL_WIDTH + width + 4,
          valueY: y + BAR_HEIGHT - 2,
        };
      }),
    };
  });
  const height = TOP + input.categories.length * groupHeight + 6;
  return {
    title: input.title,
    width: CHART_WIDTH,
    height,
    legend: input.series.map((s, i) => ({ x: LABEL_WIDTH + i * 110, y: 14, label: s.label, css: s.css })),
    rows,
    axis: { x: LABEL_WIDTH, y1: TOP - 4, y2: height - 6 },
    summary: input.categories
      .map((c) => `${c.label} ${c.values.map((v, i) => `${input.series[i]?.label ?? ''} ${v}`).join(' ')}`)
      .join('；'),
  };
}
