import { FeatureEncoder } from './feature-encoder';
import { predictProbabilities } from './model-trainer';
import { buildRankingModel } from './models/build-model';
import type { ModelKind, RankingModel } from './models/ranking-model';
import { decodeRankerArtifact, encodeRankerArtifact, type RankerArtifactHeader } from './ranker-artifact';
import type { RankingExample, RankingItem } from './ranking-example';
import { loadTensorflow, type BackendLogger, type TensorflowNamespace } from './tensorflow-backend';
import { withStatistics } from './training-data';

/**
 * The request side of scoring. Pass topCategory and activity counted from the
 * user's recent interactions (training counts them at each example's time);
 * when absent, the train-part totals stored in the artifact fill in.
 */
export interface ScoringContext {
  userId: string | null;
  /** Request time, unix ms. */
  now: number;
  deviceType?: string;
  topCategory?: string;
  activity?: number;
}

/**
 * A trained model with its feature schema and training-window statistics:
 * scores candidates for one request and serialises to one artifact.
 * Holds tf variables: call dispose() when replacing it.
 */
export class LearnedRanker {
  private readonly encoder: FeatureEncoder;

  constructor(
    private readonly tf: TensorflowNamespace,
    private readonly model: RankingModel,
    readonly header: Omit<RankerArtifactHeader, 'weights'>,
  ) {
    this.encoder = new FeatureEncoder(header.schema);
  }

  get kind(): ModelKind {
    return this.model.kind;
  }

  get version(): string {
    return this.header.version;
  }

  get metrics(): Record<string, number> {
    return this.header.metrics;
  }

  /** Click probability of each item for this request, in input order. */
  score(context: ScoringContext, items: readonly RankingItem[]): number[] {
    if (items.length === 0) return [];
    return Array.from(this.predict(this.examplesFor(context, items)));
  }

  /** Several requests' candidate lists in one forward pass (the model-server's batch predict): one score list per request, in input order. */
  scoreMany(lists: ReadonlyArray<{ context: ScoringContext; items: readonly RankingItem[] }>): number[][] {
    const examples = lists.flatMap(({ context, items }) => this.examplesFor(context, items));
    const probabilities = examples.length ? this.predict(examples) : new Float32Array(0);
    let offset = 0;
    return lists.map(({ items }) => {
      const scores = Array.from(probabilities.subarray(offset, offset + items.length));
      offset += items.length;
      return scores;
    });
  }

  private examplesFor(context: ScoringContext, items: readonly RankingItem[]): RankingExample[] {
    return items.map((candidate): RankingExample => {
      const { user, item } = withStatistics(context.userId, candidate, this.header.statistics);
      return {
        user: { ...user, topCategory: context.topCategory ?? user.topCategory, activity: context.activity ?? user.activity },
        item,
        moment: { timestamp: context.now, deviceType: context.deviceType },
      };
    });
  }

  /** Probabilities for fully built examples (evaluation); no statistics filled in. */
  predict(examples: readonly RankingExample[]): Float32Array {
    return predictProbabilities(this.tf, this.model, this.encoder.encode(examples), this.encoder.slotCount, this.encoder.denseSize);
  }

  /** One self-describing blob: header JSON (schema, kind, version, metrics, statistics) + float32 weights. */
  serialize(): Uint8Array {
    return encodeRankerArtifact({
      header: { ...this.header, weights: this.model.weights.map((w) => ({ name: w.name, shape: [...w.variable.shape] })) },
      weights: this.model.weights.map((w) => w.variable.dataSync() as Float32Array),
    });
  }

  /** Rebuilds a ranker from serialize() output on the process's tfjs backend. */
  static async load(bytes: Uint8Array, options: { logger?: BackendLogger } = {}): Promise<LearnedRanker> {
    const { tf } = await loadTensorflow(options);
    const { header, weights } = decodeRankerArtifact(bytes);
    const encoder = new FeatureEncoder(header.schema);
    const model = buildRankingModel(tf, header.modelKind, { vocabularySize: encoder.vocabularySize, slotCount: encoder.slotCount, denseSize: encoder.denseSize }, header.hyperparameters);
    try {
      if (model.weights.length !== header.weights.length) throw new Error(`artifact has ${header.weights.length} weights, ${header.modelKind} needs ${model.weights.length}`);
      tf.tidy(() =>
      model.weights.forEach((w, i) => {
        const stored = header.weights[i];
        if (stored.name !== w.name || stored.shape.join('x') !== w.variable.shape.join('x')) {
          throw new Error(`artifact weight ${i} is ${stored.name} [${stored.shape}], expected ${w.name} [${w.variable.shape}]`);
        }
          w.variable.assign(tf.tensor(weights[i], stored.shape));
        }),
      );
    } catch (error) {
      model.weights.forEach((w) => w.variable.dispose());
      throw error;
    }
    const { weights: _layout, ...rest } = header;
    return new LearnedRanker(tf, model, rest);
  }

  dispose(): void {
    this.model.weights.forEach((w) => w.variable.dispose());
  }
}
