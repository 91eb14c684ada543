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

/** Text width at the charts' 12px: CJK characters ≈ 12px, Latin ≈ 7px (no font metrics on the server). */
function textWidth(text: string): number {
  return [...text].reduce((w, ch) => w + ((ch.codePointAt(0) ?? 0) > 0x2e80 ? 12 : 7), 0);
}

/** The label cut to a width (with an ellipsis) so it stays left of the axis. */
function fitLabel(label: string, width: number): string {
  if (textWidth(label) <= width) return label;
  let out = '';
  for (const ch of label) {
    if (textWidth(`${out}${ch}…`) > width) break;
    out += ch;
  }
  return `${out}…`;
}

/**
 * Legend entries side by side from `left`, each as wide as its label, wrapping to a new row of 18px before
 * `right`; returns the entries and the number of rows.
 */
export function legendLayout(
  series: ReadonlyArray<{ label: string; css: string }>,
  left: number,
  right: number,
  top = 14,
): { legend: Array<{ x: number; y: number; label: string; css: string }>; rows: number } {
  const legend: Array<{ x: number; y: number; label: string; css: string }> = [];
  let x = left;
  let row = 0;
  for (const s of series) {
    const w = 16 + textWidth(s.label) + 18;
    if (x > left && x + w > right) {
      x = left;
      row += 1;
    }
    legend.push({ x, y: top + row * 18, label: s.label, css: s.css });
    x += w;
  }
  return { legend, rows: row + 1 };
}

export function barChart(input: BarChartInput): BarChart {
  const max = Math.max(1, ...input.categories.flatMap((c) => c.values));
  const { legend, rows: legendRows } = legendLayout(input.series, LABEL_WIDTH, CHART_WIDTH, 14);
  const top = TOP + (legendRows - 1) * 18;
  const plotWidth = CHART_WIDTH - LABEL_WIDTH - 50;
  const groupHeight = input.series.length * (BAR_HEIGHT + BAR_GAP) + GROUP_GAP;
  const rows = input.categories.map((c, i) => {
    const rowTop = top + i * groupHeight;
    return {
      label: fitLabel(c.label, LABEL_WIDTH - 12),
      labelY: rowTop + (input.series.length * (BAR_HEIGHT + BAR_GAP)) / 2 + 4,
      flag: c.flag ?? null,
      bars: c.values.map((value, j) => {
        const width = Math.round((value / max) * plotWidth);
        const y = rowTop + j * (BAR_HEIGHT + BAR_GAP);
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
  const height = top + input.categories.length * groupHeight + 6;
  return {
    title: input.title,
    width: CHART_WIDTH,
    height,
    legend,
    rows,
    axis: { x: LABEL_WIDTH, y1: top - 4, y2: height - 6 },
    summary: input.categories
      .map((c) => `${c.label} ${c.values.map((v, i) => `${input.series[i]?.label ?? ''} ${v}`).join(' ')}`)
      .join('；'),
  };
}
