// Weighted choice: the seed's k6 script declared weights 40/30/20/10 and then picked
// uniformly (testScenarios[Math.floor(Math.random() * length)]); this honours the weights.
export interface Weighted { weight: number }

/** Picks one item with probability weight / Σweights. `rand` ∈ [0, 1). */
export function pickWeighted<T extends Weighted>(items: readonly T[], rand: () => number = Math.random): T {
  let total = 0;
  for (const it of items) {
    if (!(it.weight >= 0) || !Number.isFinite(it.weight)) throw new Error(`invalid weight ${it.weight}: weights must be finite and >= 0`);
    total += it.weight;
  }
  if (total <= 0) throw new Error('pickWeighted needs at least one item with a positive weight');
  let x = rand() * total;
  for (const it of items) {
    if (x < it.weight) return it;
    x -= it.weight;
  }
  // floating-point edge: x landed exactly on the total
  for (let i = items.length - 1; i >= 0; i--) if (items[i]!.weight > 0) return items[i]!;
  return items[items.length - 1]!;
}

/** Pearson's χ² statistic of observed counts against expected shares. */
export function chiSquare(observed: number[], shares: number[]): number {
  const n = observed.reduce((a, b) => a + b, 0);
  const total = shares.reduce((a, b) => a + b, 0);
  return observed.reduce((acc, o, i) => { const e = (n * shares[i]!) / total; return acc + (o - e) ** 2 / e; }, 0);
}
