import type * as Tf from '@tensorflow/tfjs';
import type { TensorflowNamespace } from '../tensorflow-backend';
import type { ModelDimensions, NamedWeight } from './ranking-model';

/** Weights plus a function of them; models are sums of these parts. */
export interface ModelPart<I, O> {
  weights: NamedWeight[];
  apply(input: I): O;
}

/** The variable shares the initial tensor's data; the initial tensor itself is freed, or every model built would leak one tensor per weight. */
const named = (tf: TensorflowNamespace, name: string, initial: Tf.Tensor): NamedWeight => {
  const variable = tf.variable(initial, true);
  initial.dispose();
  return { name, variable };
};

/**
 * The wide part: one weight per vocabulary id, summed over the row's slots,
 * plus a linear map of the dense fields and a bias. Exactly logistic regression
 * on one-hot features.
 */
export function linearPart(tf: TensorflowNamespace, dims: ModelDimensions): ModelPart<{ indices: Tf.Tensor2D; dense: Tf.Tensor2D }, { logits: Tf.Tensor1D; penalty: Tf.Scalar }> {
  const sparse = named(tf, 'linear/sparse', tf.zeros([dims.vocabularySize, 1]));
  const denseWeights = named(tf, 'linear/dense', tf.zeros([dims.denseSize, 1]));
  const bias = named(tf, 'linear/bias', tf.zeros([1]));
  return {
    weights: [sparse, denseWeights, bias],
    apply: ({ indices, dense }) => {
      const rows = indices.shape[0];
      const gathered = tf.gather(sparse.variable, indices); // [rows, slots, 1]
      const sparseSum = tf.sum(gathered, [1, 2]);
      const denseSum = tf.reshape(tf.matMul(dense, denseWeights.variable as Tf.Tensor2D), [rows]);
      const logits = tf.add(tf.add(sparseSum, denseSum), bias.variable) as Tf.Tensor1D;
      const penalty = tf.div(tf.sum(tf.square(gathered)), rows) as Tf.Scalar;
      return { logits, penalty };
    },
  };
}

/** The shared embedding table; lookups give [rows, slots, dim]. Initial std 0.05: small enough for a near-zero FM term, large enough to break symmetry without a long plateau (0.01 idled ~5 epochs). */
export function embeddingPart(tf: TensorflowNamespace, dims: ModelDimensions, embeddingDim: number, seed: number): ModelPart<Tf.Tensor2D, { embeddings: Tf.Tensor3D; penalty: Tf.Scalar }> {
  const table = named(tf, 'embedding/table', tf.randomNormal([dims.vocabularySize, embeddingDim], 0, 0.05, 'float32', seed));
  return {
    weights: [table],
    apply: (indices) => {
      const embeddings = tf.gather(table.variable, indices) as Tf.Tensor3D;
      const penalty = tf.div(tf.sum(tf.square(embeddings)), indices.shape[0]) as Tf.Scalar;
      return { embeddings, penalty };
    },
  };
}

/**
 * Second-order FM term over the row's embeddings, in O(slots × dim):
 * Σ_{i<j} <e_i, e_j> = ½ Σ_k [(Σ_i e_ik)² − Σ_i e_ik²].
 */
export function fmInteraction(tf: TensorflowNamespace, embeddings: Tf.Tensor3D): Tf.Tensor1D {
  const squareOfSum = tf.square(tf.sum(embeddings, 1));
  const sumOfSquares = tf.sum(tf.square(embeddings), 1);
  return tf.mul(0.5, tf.sum(tf.sub(squareOfSum, sumOfSquares), 1)) as Tf.Tensor1D;
}

/** ReLU layers then one linear output unit; He-initialised. */
export function mlpPart(tf: TensorflowNamespace, inputSize: number, hidden: readonly number[], seed: number): ModelPart<Tf.Tensor2D, Tf.Tensor1D> {
  const layers: { kernel: NamedWeight; bias: NamedWeight }[] = [];
  let width = inputSize;
  [...hidden, 1].forEach((units, i) => {
    const kernel = named(tf, `mlp/${i}/kernel`, tf.mul(tf.randomNormal([width, units], 0, 1, 'float32', seed + i + 1), Math.sqrt(2 / width)));
    const bias = named(tf, `mlp/${i}/bias`, tf.zeros([units]));
    layers.push({ kernel, bias });
    width = units;
  });
  return {
    weights: layers.flatMap((l) => [l.kernel, l.bias]),
    apply: (input) => {
      let x: Tf.Tensor2D = input;
      layers.forEach(({ kernel, bias }, i) => {
        const z = tf.add(tf.matMul(x, kernel.variable as Tf.Tensor2D), bias.variable) as Tf.Tensor2D;
        x = i < layers.length - 1 ? tf.relu(z) : z;
      });
      return tf.reshape(x, [input.shape[0]]) as Tf.Tensor1D;
    },
  };
}

/** The deep part's input: all slot embeddings side by side, then the dense fields. */
export function deepInput(tf: TensorflowNamespace, embeddings: Tf.Tensor3D, dense: Tf.Tensor2D): Tf.Tensor2D {
  const [rows, slots, dim] = embeddings.shape;
  return tf.concat([tf.reshape(embeddings, [rows, slots * dim]) as Tf.Tensor2D, dense], 1);
}
