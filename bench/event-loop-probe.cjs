/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS preload for `node --require` */
// Loaded into the server by the playout load bench (`node --require`): the server's own
// event-loop delay, so a latency tail can be told apart from the load generator's. On SIGUSR2
// it prints the delays seen since the previous signal as one line on stderr and starts over.
const { monitorEventLoopDelay } = require('node:perf_hooks');

const histogram = monitorEventLoopDelay({ resolution: 1 });
histogram.enable();
const ms = (ns) => Math.round(ns / 1e4) / 100;
process.on('SIGUSR2', () => {
  process.stderr.write(
    `event-loop-delay ${JSON.stringify({
      p50Ms: ms(histogram.percentile(50)),
      p99Ms: ms(histogram.percentile(99)),
      p999Ms: ms(histogram.percentile(99.9)),
      maxMs: ms(histogram.max),
      samples: histogram.count,
    })}\n`,
  );
  histogram.reset();
});
