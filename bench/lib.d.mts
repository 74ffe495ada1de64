// Types of bench/lib.mjs for the TypeScript benches that import it.
export declare const BENCH_ADMIN: { username: string; password: string };
export declare function signIn(
  origin: string,
  who?: { username: string; password: string },
): Promise<string>;
export declare function signInContext(
  context: unknown,
  origin: string,
  who?: { username: string; password: string },
): Promise<void>;
export declare function startServe(extraArgs?: string[]): Promise<{
  hostPort: string;
  pid: number;
  origin: string;
  cookie: string;
  stop(): Promise<void>;
}>;
export declare function percentile(sorted: number[], p: number): number;
export declare function summarize(samples: number[]): {
  n: number;
  p50: number;
  p95: number;
  max: number;
};
export declare function contractSocket(serve: { hostPort: string; cookie: string }): Promise<{
  call<T = unknown>(method: string, params?: Record<string, unknown>): Promise<T>;
  close(): void;
}>;
export declare function driveAtRate(options: {
  url: string;
  headers?: Record<string, string>;
  perSecond: number;
  seconds: number;
  agent?: unknown;
}): Promise<{ status: number; ms: number }[]>;
