import { Inject, Injectable } from '@nestjs/common';
import { RecallStrategy } from './recall-strategy';

/** DI token of the strategy instances the registry knows (a multi-provider built by RecallModule). */
export const RECALL_STRATEGIES = Symbol('RECALL_STRATEGIES');

/** Looks strategies up by their config name. */
@Injectable()
export class RecallRegistry {
  private readonly byName = new Map<string, RecallStrategy>();

  constructor(@Inject(RECALL_STRATEGIES) strategies: readonly RecallStrategy[]) {
    for (const strategy of strategies) {
      if (this.byName.has(strategy.name)) throw new Error(`two recall strategies are named '${strategy.name}'`);
      this.byName.set(strategy.name, strategy);
    }
  }

  get(name: string): RecallStrategy | undefined {
    return this.byName.get(name);
  }

  /** Registered names in registration order: what scenario configs may use (EngineCapabilities.recallStrategies). */
  names(): string[] {
    return [...this.byName.keys()];
  }
}
