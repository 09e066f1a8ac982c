/**
 * Hot scores decay exponentially: an event of weight w at time t is worth
 * w·2^((t−now)/h) at `now`, h being the half-life. Decaying every stored score
 * on each read would cost a write per item, so each (tenant, scenario) keeps a
 * reference time T and stores score_ref = Σ w·2^((t−T)/h), the value at T. All
 * items share the factor 2^((T−now)/h), so ordering by score_ref is ordering
 * by the current score, and a database index can serve the top-k.
 */

/** 2^32 ≈ 4e9: past this growth, fold the factor into the stored scores before doubles lose the small ones. */
export const REBASE_EXPONENT = 32;

/** After a rebase, scores below this (at the new reference time) are noise and dropped. */
export const NEGLIGIBLE_SCORE = 1e-12;

export const HOUR_MS = 3600 * 1000;

/** The multiplier that carries a value at `from` to its value at `to`. */
export const decayFactor = (from: number, to: number, halfLifeMs: number): number => 2 ** ((from - to) / halfLifeMs);

export const needsRebase = (refTime: number, eventTime: number, halfLifeMs: number): boolean => (eventTime - refTime) / halfLifeMs > REBASE_EXPONENT;
