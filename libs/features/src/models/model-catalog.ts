import { AlsModel, AlsTrainer } from './als';
import { BprModel, BprTrainer } from './bpr';
import { EaseModel, EaseTrainer } from './ease';
import { decodeFactorModel, encodeFactorModel } from './factor-model-codec';
import type { ImplicitModel, ImplicitTrainer } from './implicit-model';
import type { ModelCodec } from './trained-model';

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
