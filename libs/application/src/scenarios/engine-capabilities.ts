import { Injectable } from '@nestjs/common';
import type { EngineCapabilities } from '@lemo/domain';
import { RecallRegistry } from '@lemo/recall';
import { RankerRegistry } from '@lemo/ranking';

/** What this build's engine can run, for validating scenario configs. */
@Injectable()
export class EngineCapabilitiesProvider {
  constructor(
    private readonly recall: RecallRegistry,
    private readonly rankers: RankerRegistry,
  ) {}

  get(): EngineCapabilities {
    return { recallStrategies: this.recall.names(), rankers: this.rankers.names() };
  }
}
