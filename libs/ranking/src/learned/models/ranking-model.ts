import type * as Tf from '@tensorflow/tfjs';

export const MODEL_KINDS = ['lr', 'fm', 'deepfm', 'wide_deep'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

export const isModelKind = (value: string): value is ModelKind => (MODEL_KINDS as readonly string[]).includes(value);

/** Sizes fixed by the FeatureEncoder of the model's schema. */
export interface ModelDimensions {
  vocabularySize: number;
  slotCount: number;
  denseSize: number;
}

export interface ModelHyperparameters {
  /** Width of the shared embeddings (FM factors and the deep part's input). */
  embeddingDim: number;
  /** Hidden layer widths of the deep part (ReLU). */
  hidden: number[];
  /** Seed of the initial weights: same seed, same data, same model. */
  seed: number;
}

export interface NamedWeight {
  name: string;
  variable: Tf.Variable;
}

export interface ForwardResult {
  /** Logit per row, shape [rows]. */
  logits: Tf.Tensor1D;
  /** Mean over rows of the squared norm of the sparse parameters the batch touched: L2 without a dense pass over the table. */
  penalty: Tf.Scalar;
}

/**
 * A click-through model on encoded rows. Built from tfjs core ops, not
 * tf.layers: the FM term needs custom arithmetic, and plain variables make
 * saving and loading a list of arrays.
 */
export interface RankingModel {
  readonly kind: ModelKind;
  /** In a fixed order, which the artifact format relies on. */
  readonly weights: readonly NamedWeight[];
  /** `indices` int32 [rows, slotCount] vocabulary ids; `dense` float32 [rows, denseSize]. */
  forward(indices: Tf.Tensor2D, dense: Tf.Tensor2D): ForwardResult;
}
