import type * as Tf from '@tensorflow/tfjs';
import type { TensorflowNamespace } from '../tensorflow-backend';
import { deepInput, embeddingPart, fmInteraction, linearPart, mlpPart } from './building-blocks';
import type { ModelDimensions, ModelHyperparameters, ModelKind, RankingModel } from './ranking-model';

/**
 * The four rankers, all on the same encoded rows:
 * - lr: the linear part alone (the baseline);
 * - fm: linear + pairwise embedding interactions;
 * - deepfm: fm + an MLP over the same embeddings (shared, as in Guo et al. 2017);
 * - wide_deep: linear + MLP, no explicit pairwise term (Cheng et al. 2016).
 */
export function buildRankingModel(tf: TensorflowNamespace, kind: ModelKind, dims: ModelDimensions, hyper: ModelHyperparameters): RankingModel {
  const linear = linearPart(tf, dims);
  if (kind === 'lr') return { kind, weights: linear.weights, forward: (indices, dense) => linear.apply({ indices, dense }) };

  const embedding = embeddingPart(tf, dims, hyper.embeddingDim, hyper.seed);
  const mlp = kind === 'fm' ? null : mlpPart(tf, dims.slotCount * hyper.embeddingDim + dims.denseSize, hyper.hidden, hyper.seed);
  const withFm = kind === 'fm' || kind === 'deepfm';
  return {
    kind,
    weights: [...linear.weights, ...embedding.weights, ...(mlp?.weights ?? [])],
    forward: (indices, dense) => {
      const wide = linear.apply({ indices, dense });
      const { embeddings, penalty } = embedding.apply(indices);
      let logits: Tf.Tensor1D = wide.logits;
      if (withFm) logits = tf.add(logits, fmInteraction(tf, embeddings));
      if (mlp) logits = tf.add(logits, mlp.apply(deepInput(tf, embeddings, dense)));
      return { logits, penalty: tf.add(wide.penalty, penalty) };
    },
  };
}
