import type * as Tf from '@tensorflow/tfjs';
import type { EncodedBatch } from './feature-encoder';
import { logLoss, rocAuc } from './metrics';
import type { ModelKind, RankingModel } from './models/ranking-model';
import { mulberry32 as seededRandom, shuffleInPlace } from '@lemo/features';
import type { TensorflowNamespace } from './tensorflow-backend';

export interface LabelledBatch extends EncodedBatch {
  labels: Float32Array;
}

export interface FitOptions {
  /** Upper bound; early stopping usually ends sooner. */
  epochs: number;
  /** Upper bound: small training sets use smaller batches (see effectiveBatchSize). */
  batchSize: number;
  learningRate: number;
  /** Weight of the L2 penalty on the sparse parameters each batch touches. */
  l2: number;
  /** Epochs without a better validation AUC before stopping; the best epoch's weights are kept. */
  patience: number;
  seed: number;
}

export interface EpochProgress {
  kind: ModelKind;
  epoch: number;
  epochs: number;
  trainLoss: number;
  validationLoss: number;
  validationAuc: number;
}

export interface FitResult {
  epochsRun: number;
  bestEpoch: number;
  validationAuc: number;
  validationLoss: number;
}

const PREDICT_BATCH = 4096;
/**
 * A small tenant's few hundred rows would make a handful of Adam steps per
 * epoch with the default batch, and the embeddings would idle for many epochs
 * (seen on synthetic data): the batch shrinks to give at least this many steps.
 */
const MIN_STEPS_PER_EPOCH = 50;
const MIN_BATCH = 32;

/** options.batchSize, shrunk for small data so an epoch has MIN_STEPS_PER_EPOCH steps. */
export const effectiveBatchSize = (rows: number, batchSize: number): number => Math.max(MIN_BATCH, Math.min(batchSize, Math.floor(rows / MIN_STEPS_PER_EPOCH)));
/** Batches between yields to the event loop, so a training job does not starve health checks. */
const BATCHES_PER_YIELD = 20;

/** Copies rows `order[from..to)` of a batch into fresh arrays. */
function sliceRows(batch: LabelledBatch, order: Int32Array, from: number, to: number, slotCount: number, denseSize: number): LabelledBatch {
  const rows = to - from;
  const indices = new Int32Array(rows * slotCount);
  const dense = new Float32Array(rows * denseSize);
  const labels = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const source = order[from + r];
    indices.set(batch.indices.subarray(source * slotCount, (source + 1) * slotCount), r * slotCount);
    dense.set(batch.dense.subarray(source * denseSize, (source + 1) * denseSize), r * denseSize);
    labels[r] = batch.labels[source];
  }
  return { rows, indices, dense, labels };
}

/** Numerically stable binary cross-entropy on logits: max(x,0) − x·z + log(1 + e^−|x|). */
function sigmoidCrossEntropy(tf: TensorflowNamespace, labels: Tf.Tensor1D, logits: Tf.Tensor1D): Tf.Scalar {
  const perRow = tf.add(tf.sub(tf.relu(logits), tf.mul(logits, labels)), tf.log(tf.add(1, tf.exp(tf.neg(tf.abs(logits))))));
  return tf.mean(perRow);
}

/** Click probabilities for every row, in PREDICT_BATCH chunks; leaves no tensors behind. */
export function predictProbabilities(tf: TensorflowNamespace, model: RankingModel, batch: EncodedBatch, slotCount: number, denseSize: number): Float32Array {
  const out = new Float32Array(batch.rows);
  for (let from = 0; from < batch.rows; from += PREDICT_BATCH) {
    const to = Math.min(batch.rows, from + PREDICT_BATCH);
    const rows = to - from;
    const probabilities = tf.tidy(() => {
      const indices = tf.tensor2d(batch.indices.subarray(from * slotCount, to * slotCount), [rows, slotCount], 'int32');
      const dense = tf.tensor2d(batch.dense.subarray(from * denseSize, to * denseSize), [rows, denseSize], 'float32');
      return tf.sigmoid(model.forward(indices, dense).logits);
    });
    out.set(probabilities.dataSync(), from);
    probabilities.dispose();
  }
  return out;
}

/**
 * Mini-batch Adam on binary cross-entropy + L2, shuffled each epoch, with
 * early stopping on the validation slice's AUC; restores the best epoch's
 * weights before returning.
 */
export async function fitModel(
  tf: TensorflowNamespace,
  model: RankingModel,
  data: { train: LabelledBatch; validation: LabelledBatch; slotCount: number; denseSize: number },
  options: FitOptions,
  onEpoch?: (progress: EpochProgress) => void | Promise<void>,
): Promise<FitResult> {
  const { train, validation, slotCount, denseSize } = data;
  const optimizer = tf.train.adam(options.learningRate);
  const variables = model.weights.map((w) => w.variable);
  const random = seededRandom(options.seed);
  const order = Int32Array.from({ length: train.rows }, (_, i) => i);
  let best: FitResult = { epochsRun: 0, bestEpoch: 0, validationAuc: Number.NEGATIVE_INFINITY, validationLoss: Number.NaN };
  let bestWeights: Float32Array[] | null = null;
  const batchSize = effectiveBatchSize(train.rows, options.batchSize);
  let epoch = 0;
  try {
    for (epoch = 1; epoch <= options.epochs; epoch++) {
      shuffleInPlace(order, random);
      let lossSum = 0;
      let batches = 0;
      for (let from = 0; from < train.rows; from += batchSize) {
        const part = sliceRows(train, order, from, Math.min(train.rows, from + batchSize), slotCount, denseSize);
        const loss = optimizer.minimize(
          () =>
            tf.tidy(() => {
              const indices = tf.tensor2d(part.indices, [part.rows, slotCount], 'int32');
              const dense = tf.tensor2d(part.dense, [part.rows, denseSize], 'float32');
              const { logits, penalty } = model.forward(indices, dense);
              const bce = sigmoidCrossEntropy(tf, tf.tensor1d(part.labels), logits);
              return tf.add(bce, tf.mul(options.l2, penalty)) as Tf.Scalar;
            }),
          true,
          variables,
        );
        if (loss) {
          lossSum += loss.dataSync()[0];
          loss.dispose();
        }
        batches++;
        if (batches % BATCHES_PER_YIELD === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      const probabilities = predictProbabilities(tf, model, validation, slotCount, denseSize);
      const validationAuc = rocAuc(validation.labels, probabilities);
      const validationLoss = logLoss(validation.labels, probabilities);
      await onEpoch?.({ kind: model.kind, epoch, epochs: options.epochs, trainLoss: lossSum / Math.max(1, batches), validationLoss, validationAuc });
      // NaN AUC (one-class validation slice) cannot rank epochs: keep the latest.
      if (Number.isNaN(validationAuc) || validationAuc > best.validationAuc) {
        best = { epochsRun: epoch, bestEpoch: epoch, validationAuc, validationLoss };
        bestWeights = variables.map((v) => v.dataSync().slice() as Float32Array);
      } else if (epoch - best.bestEpoch >= options.patience) {
        break;
      }
    }
  } finally {
    optimizer.dispose();
  }
  const restore = bestWeights;
  if (restore) tf.tidy(() => variables.forEach((v, i) => v.assign(tf.tensor(restore[i], v.shape))));
  return { ...best, epochsRun: Math.min(epoch, options.epochs) };
}
