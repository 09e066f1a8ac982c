import type * as Tf from '@tensorflow/tfjs';
import { registerSegmentSumKernel } from './segment-sum-kernel';

/** The tfjs API; tfjs-node exports the same namespace, so one type covers all backends. */
export type TensorflowNamespace = typeof Tf;
export type TensorflowBackendName = 'tensorflow' | 'wasm' | 'cpu';

export interface TensorflowRuntime {
  tf: TensorflowNamespace;
  backend: TensorflowBackendName;
  /** Why the better backends were skipped, in order tried (empty when tfjs-node loaded). */
  skipped: string[];
}

/** Anything with Nest's Logger.log shape. */
export interface BackendLogger {
  log(message: string): void;
}

/** Module loaders, replaceable in tests to simulate a missing native binary or wasm file. */
export interface TensorflowLoaders {
  node: () => unknown;
  js: () => unknown;
  wasm: () => unknown;
}

/*
 * Plain require, not import(): tfjs-node is an optionalDependency whose native
 * binary is often absent, so it must be attempted at run time and may throw, and
 * its typings may be missing. Both tfjs packages export the same namespace.
 */
const nodeRequire = (id: string): unknown => require(id);

export const DEFAULT_TENSORFLOW_LOADERS: TensorflowLoaders = {
  node: () => nodeRequire('@tensorflow/tfjs-node'),
  js: () => nodeRequire('@tensorflow/tfjs'),
  wasm: () => nodeRequire('@tensorflow/tfjs-backend-wasm'),
};

const reason = (error: unknown): string => (error instanceof Error ? error.message : String(error)).split('\n')[0].slice(0, 200);

async function selectBackend(loaders: TensorflowLoaders): Promise<TensorflowRuntime> {
  const skipped: string[] = [];
  try {
    const tf = loaders.node() as TensorflowNamespace;
    await tf.ready();
    return { tf, backend: 'tensorflow', skipped };
  } catch (error) {
    skipped.push(`tensorflow: ${reason(error)}`);
  }
  const tf = loaders.js() as TensorflowNamespace;
  try {
    loaders.wasm();
    registerSegmentSumKernel(tf, 'wasm');
    if (await tf.setBackend('wasm')) {
      await tf.ready();
      return { tf, backend: 'wasm', skipped };
    }
    skipped.push('wasm: backend failed to initialise');
  } catch (error) {
    skipped.push(`wasm: ${reason(error)}`);
  }
  registerSegmentSumKernel(tf, 'cpu');
  await tf.setBackend('cpu');
  await tf.ready();
  return { tf, backend: 'cpu', skipped };
}

let shared: Promise<TensorflowRuntime> | null = null;

/**
 * Loads tfjs once per process with the fastest backend that works here:
 * tfjs-node (native TensorFlow), else the wasm backend, else pure-JS cpu; and
 * logs the choice. tfjs keeps the backend in global state, so everything in the
 * process shares it: pass `loaders` only in tests (that call is not cached).
 */
export function loadTensorflow(options: { logger?: BackendLogger; loaders?: TensorflowLoaders } = {}): Promise<TensorflowRuntime> {
  const log = (runtime: TensorflowRuntime): TensorflowRuntime => {
    const why = runtime.skipped.length > 0 ? ` (skipped ${runtime.skipped.join('; ')})` : '';
    options.logger?.log(`tensorflow backend: ${runtime.backend}${why}`);
    return runtime;
  };
  if (options.loaders) return selectBackend(options.loaders).then(log);
  shared ??= selectBackend(DEFAULT_TENSORFLOW_LOADERS);
  return shared.then(log);
}
