// Empty iterations at a fixed arrival rate: the engine's own scheduling cost.
export const options = {
  scenarios: { empty: { executor: 'constant-arrival-rate', rate: Number(__ENV.RATE ?? 1000), duration: __ENV.DURATION ?? '10s', preAllocatedVUs: Number(__ENV.VUS ?? 200), maxVUs: Number(__ENV.VUS ?? 200) } },
};
export default async function () {}
