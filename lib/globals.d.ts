// k6's globals, as the engine provides them (lib/runtime.ts installRuntime).
declare var __ENV: Record<string, string | undefined>;
declare var __VU: number;
declare var __ITER: number;
