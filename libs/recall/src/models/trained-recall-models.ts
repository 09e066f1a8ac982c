import { Injectable } from '@nestjs/common';
import { ModelArtifactStore, ModelRepository } from '@lemo/domain';
import { decodeTrainedModel, DeployedModels, servableAlgorithm, type ImplicitModel } from '@lemo/features';

/** A deployed model version in memory, with its id spaces. */
export interface LoadedRecallModel {
  version: string;
  model: ImplicitModel;
  itemIds: readonly string[];
  itemIndex: ReadonlyMap<string, number>;
  userIndex: ReadonlyMap<string, number>;
  /** Scratch for one user's scores and their top-k selection; scoring is synchronous, so requests never interleave on it. */
  scores: Float32Array;
  selectionIds: Int32Array;
  selectionScores: Float64Array;
}

type DecodedRecallModel = Omit<LoadedRecallModel, 'version'>;

function decodeRecallModel(bytes: Uint8Array): DecodedRecallModel {
  const { header, model } = decodeTrainedModel(bytes);
  const servable = servableAlgorithm(header.algorithm);
  if (!servable) throw new Error(`no codec for recall algorithm '${header.algorithm}'`);
  const decoded = servable.codec.decode(model);
  return {
    model: decoded,
    itemIds: header.item_ids,
    itemIndex: new Map(header.item_ids.map((id, i) => [id, i])),
    userIndex: new Map(header.user_ids.map((id, u) => [id, u])),
    scores: new Float32Array(decoded.items),
    selectionIds: new Int32Array(decoded.items),
    selectionScores: new Float64Array(decoded.items),
  };
}

/**
 * The deployed version of each (tenant, scenario, algorithm) recall model —
 * the model `<scenario>.<algorithm>` the training job writes — in memory
 * (see DeployedModels for when a new deployment is picked up).
 */
@Injectable()
export class TrainedRecallModels {
  private readonly deployed: DeployedModels<DecodedRecallModel>;

  constructor(models: ModelRepository, artifacts: ModelArtifactStore) {
    this.deployed = new DeployedModels(models, artifacts, { decode: decodeRecallModel });
  }

  async get(tenantId: string, scenarioId: string, algorithm: string, now = Date.now()): Promise<LoadedRecallModel | null> {
    const loaded = await this.deployed.get(tenantId, `${scenarioId}.${algorithm}`, now);
    return loaded && { version: loaded.version, ...loaded.value };
  }
}
