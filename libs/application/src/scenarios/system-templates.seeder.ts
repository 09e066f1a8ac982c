import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { TemplatesUseCase } from './templates.use-case';

/** Every process writes the system templates at start: idempotent, and a release's changes reach the store. */
@Injectable()
export class SystemTemplatesSeeder implements OnApplicationBootstrap {
  constructor(private readonly templates: TemplatesUseCase) {}

  onApplicationBootstrap(): Promise<void> {
    return this.templates.seedSystemTemplates();
  }
}
