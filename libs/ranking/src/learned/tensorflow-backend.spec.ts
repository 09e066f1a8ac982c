import * as tfjs from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { loadTensorflow, type TensorflowLoaders, type TensorflowNamespace } from './tensorflow-backend';

const missingNative = (): never => {
  throw new Error('The Node.js native addon module (tfjs_binding.node) can not be found');
};

/** d/dtable Σ gather(table, ids): how often each row was looked up; runs the segment-sum kernel. */
function lookupCounts(tf: TensorflowNamespace): number[] {
  const table = tf.variable(tf.zeros([4, 2]));
  const grads = tf.grads((t: tfjs.Tensor) => tf.sum(tf.gather(t, tf.tensor2d([[0, 0], [3, 1]], [2, 2], 'int32'))));
  const [gradient] = grads([table]);
  const counts = Array.from(gradient.dataSync()).filter((_, i) => i % 2 === 0);
  gradient.dispose();
  table.dispose();
  return counts;
}

describe('loadTensorflow', () => {
  it('falls back to wasm when tfjs-node cannot load, and logs why', async () => {
    const log = jest.fn();
    const loaders: TensorflowLoaders = { node: missingNative, js: () => tfjs, wasm: () => undefined };
    const runtime = await loadTensorflow({ logger: { log }, loaders });
    expect(runtime.backend).toBe('wasm');
    expect(runtime.tf.getBackend()).toBe('wasm');
    expect(log).toHaveBeenCalledWith(expect.stringMatching(/^tensorflow backend: wasm \(skipped tensorflow: The Node\.js native addon/));
    // Gather's gradient needs UnsortedSegmentSum, which tfjs 4.22's wasm backend lacks: our kernel fills in.
    expect(lookupCounts(runtime.tf)).toEqual([2, 1, 0, 1]);
  });

  it('falls back to cpu when wasm fails as well', async () => {
    const loaders: TensorflowLoaders = {
      node: missingNative,
      js: () => tfjs,
      wasm: () => {
        throw new Error('tfjs-backend-wasm.wasm not found');
      },
    };
    const runtime = await loadTensorflow({ loaders });
    expect(runtime.backend).toBe('cpu');
    expect(runtime.skipped).toEqual([expect.stringContaining('tensorflow: '), 'wasm: tfjs-backend-wasm.wasm not found']);
    expect(lookupCounts(runtime.tf)).toEqual([2, 1, 0, 1]);
  });

  it('takes tfjs-node when it loads', async () => {
    const runtime = await loadTensorflow({ loaders: { node: () => tfjs, js: missingNative, wasm: missingNative } });
    expect(runtime).toMatchObject({ backend: 'tensorflow', skipped: [] });
  });
});
