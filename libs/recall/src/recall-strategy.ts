import type { RecallStrategyConfig } from '@lemo/domain';
import type { UserContext } from '@lemo/features';
import type { Candidate } from './candidate';

/**
 * A source of candidates. Implementations depend only on domain ports, return
 * at most `config.limit` candidates best first, never an id in `exclude`, with
 * scores normalised to [0, 1] (comparable within the strategy), and read their
 * knobs from `config.params` with safe defaults. Register a new one by adding
 * its class to BUILT_IN_RECALL_STRATEGIES (or RecallModule.withStrategies).
 */
export abstract class RecallStrategy {
  abstract readonly name: string;
  abstract recall(ctx: UserContext, config: RecallStrategyConfig, exclude: ReadonlySet<string>): Promise<Candidate[]>;
}
