import { AlsModel, AlsTrainer } from './als';
import { BprModel, BprTrainer } from './bpr';
import { EaseModel, EaseTrainer } from './ease';
import { decodeFactorModel, encodeFactorModel } from './factor-model-codec';
import type { ImplicitModel, ImplicitTrainer } from './implicit-model';
import type { ModelCodec } from './trained-model';
import { UserKnnModel, UserKnnTrainer } from './user-knn';
import { fromUserRows } from '../similarity/user-item-matrix';

/** An algorithm that can be trained by a job, stored as an artifact and served by a recall strategy. */
export interface ServableAlgorithm {
  trainer: ImplicitTrainer;
  codec: ModelCodec;
  /** True when the model keeps a row per training user (scores known users from that row, others by fold-in). */
  hasUserRows: boolean;
}

function expect<T extends ImplicitModel>(model: ImplicitModel, type: abstract new (...args: never[]) => T): T {
  if (!(model instanceof type)) throw new TypeError(`expected a ${type.name}, got '${model.algorithm}'`);
  return model;
}

const easeCodec: ModelCodec = {
  encode: (model) => {
    const ease = expect(model, EaseModel);
    return encodeFactorModel({ algorithm: 'ease', users: 0, items: ease.items, factors: 0, scalars: Float64Array.of(ease.usesWeights ? 1 : 0), arrays: [ease.weights] });
  },
  decode: (bytes) => {
    const { items, scalars, arrays } = decodeFactorModel(bytes, 'ease');
    return new EaseModel(items, arrays[0], scalars[0] === 1);
  },
};

/**
 * Integer arrays travel through the float codec as their raw bytes (a view,
 * copied byte for byte), so every bit pattern survives.
 */
const bitsAsFloat = (ints: Int32Array): Float32Array => new Float32Array(ints.buffer, ints.byteOffset, ints.length);
const bitsAsInt = (floats: Float32Array): Int32Array => new Int32Array(floats.buffer, floats.byteOffset, floats.length);

const userKnnCodec: ModelCodec = {
  encode: (model) => {
    const knn = expect(model, UserKnnModel);
    const { matrix } = knn;
    return encodeFactorModel({
      algorithm: 'user_cf',
      users: matrix.users,
      items: matrix.items,
      factors: 0,
      scalars: Float64Array.of(knn.topK, knn.shrinkage),
      arrays: [bitsAsFloat(matrix.userPtr), bitsAsFloat(matrix.userItems), matrix.userWeights, bitsAsFloat(knn.neighbourPtr), bitsAsFloat(knn.neighbourIds), knn.neighbourSims],
    });
  },
  decode: (bytes) => {
    const { users, items, scalars, arrays } = decodeFactorModel(bytes, 'user_cf');
    const [userPtr, userItems, userWeights, neighbourPtr, neighbourIds, neighbourSims] = arrays;
    const matrix = fromUserRows(users, items, bitsAsInt(userPtr), bitsAsInt(userItems), userWeights);
    return new UserKnnModel(matrix, scalars[0], scalars[1], bitsAsInt(neighbourPtr), bitsAsInt(neighbourIds), neighbourSims);
  },
};

/** Every algorithm the training job and the model-backed recall strategies know, by name. */
export const SERVABLE_ALGORITHMS: Readonly<Record<string, ServableAlgorithm>> = {
  als: {
    trainer: new AlsTrainer(),
    codec: { encode: (model) => expect(model, AlsModel).serialize(), decode: (bytes) => AlsModel.deserialize(bytes) },
    hasUserRows: true,
  },
  bpr: {
    trainer: new BprTrainer(),
    codec: { encode: (model) => expect(model, BprModel).serialize(), decode: (bytes) => BprModel.deserialize(bytes) },
    hasUserRows: true,
  },
  ease: { trainer: new EaseTrainer(), codec: easeCodec, hasUserRows: false },
  user_cf: { trainer: new UserKnnTrainer(), codec: userKnnCodec, hasUserRows: true },
};

export function servableAlgorithm(name: string): ServableAlgorithm | undefined {
  return Object.hasOwn(SERVABLE_ALGORITHMS, name) ? SERVABLE_ALGORITHMS[name] : undefined;
}

/** A model of user and item vectors (ALS, BPR): its item factors can go to a vector index, its user vectors query it. */
export type FactorModel = AlsModel | BprModel;

export function isFactorModel(model: ImplicitModel): model is FactorModel {
  return model instanceof AlsModel || model instanceof BprModel;
}

/**
 * The vector index namespace of a scenario's item factors from one algorithm.
 * '#' cannot occur in a scenario id, so it never collides with a scenario's own (content) vectors.
 */
export function factorNamespace(scenarioId: string, algorithm: string): string {
  return `${scenarioId}#${algorithm}`;
}
