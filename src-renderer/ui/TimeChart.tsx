import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './time-chart.css';

export type ChartSeries = { label: string; values: readonly number[] };

/** Distinct hues for series; lines also differ by dash so colour is not the only cue. */
const COLOURS = ['#62c7ff', '#2bd17a', '#ffb020', '#ff5d8f', '#b18cff', '#f4f7fb', '#5ee1d3'];
const DASHES: number[][] = [[], [6, 3], [2, 3], [10, 3, 2, 3]];

/**
 * A uPlot line chart over instants (ms) drawn in the station zone. The figure is named by its
 * caption; the numbers themselves are also in a table beside it for anyone not reading pixels.
 */
export function TimeChart({
  title,
  x,
  series,
  zone,
  unit,
  testId,
  height = 220,
}: {
  title: string;
  x: readonly number[];
  series: readonly ChartSeries[];
  zone: string;
  unit: string;
  testId?: string;
  height?: number;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const data: uPlot.AlignedData = [x.map((ms) => ms / 1000), ...series.map((s) => [...s.values])];
    const plot = new uPlot(
      {
        width: Math.max(200, el.clientWidth),
        height,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), zone),
        scales: { x: { time: true } },
        axes: [
          { stroke: '#a7b0bf', grid: { stroke: '#232935' }, ticks: { stroke: '#232935' } },
          {
            stroke: '#a7b0bf',
            grid: { stroke: '#232935' },
            ticks: { stroke: '#232935' },
            label: unit,
          },
        ],
        series: [
          {},
          ...series.map((s, i) => ({
            label: s.label,
            stroke: COLOURS[i % COLOURS.length],
            dash: DASHES[Math.floor(i / COLOURS.length) % DASHES.length],
            width: 2,
            points: { show: false },
          })),
        ],
      },
      data,
      el,
    );
    const resize = new ResizeObserver(() =>
      plot.setSize({ width: Math.max(200, el.clientWidth), height }),
    );
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [x, series, zone, unit, height]);
  return (
    <figure className="ui-chart" data-testid={testId} aria-label={title}>
      <figcaption className="ui-chart__title">{title}</figcaption>
      <div ref={box} className="ui-chart__plot" />
    </figure>
  );
}
