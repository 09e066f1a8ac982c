import { Inject, Injectable } from '@nestjs/common';
import { Ranker } from './ranker';

/** DI token of the ranker instances the registry knows (a multi-provider built by RankingModule). */
export const RANKERS = Symbol('RANKERS');

/** The name of the ranker that is always there and serves when a model is missing. */
export const FALLBACK_RANKER = 'rule';

/** Looks rankers up by config.rank.model. */
@Injectable()
export class RankerRegistry {
  private readonly byName = new Map<string, Ranker>();
  private readonly fallback: Ranker;

  constructor(@Inject(RANKERS) rankers: readonly Ranker[]) {
    for (const ranker of rankers) {
      if (this.byName.has(ranker.name)) throw new Error(`two rankers are named '${ranker.name}'`);
      this.byName.set(ranker.name, ranker);
    }
    const fallback = this.byName.get(FALLBACK_RANKER);
    if (!fallback) throw new Error(`the '${FALLBACK_RANKER}' ranker must be registered`);
    this.fallback = fallback;
  }

  get(name: string): Ranker | undefined {
    return this.byName.get(name);
  }

  /** The named ranker, or the rule ranker when it is unknown (a model not deployed yet, say). */
  getOrFallback(name: string): Ranker {
    return this.byName.get(name) ?? this.fallback;
  }

  /** Registered names: what config.rank.model may use (EngineCapabilities.rankers). */
  names(): string[] {
    return [...this.byName.keys()];
  }
}
