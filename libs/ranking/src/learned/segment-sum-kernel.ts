import type * as Tf from '@tensorflow/tfjs';

type TensorflowNamespace = typeof Tf;
type NumericArray = Float32Array | Int32Array;

/** The two ways a backend hands out kernel memory: wasm works on heap views, cpu on plain typed arrays. */
interface WasmKernelBackend {
  makeOutput(shape: number[], dtype: Tf.DataType): Tf.TensorInfo;
  typedArrayFromHeap(info: Tf.TensorInfo): NumericArray;
}
interface CpuKernelBackend {
  readSync(dataId: Tf.TensorInfo['dataId']): NumericArray;
  makeTensorInfo(shape: number[], dtype: Tf.DataType, values: NumericArray): Tf.TensorInfo;
}

/** out[segmentIds[i]] += x[i] over the first axis, one linear pass. Ids outside [0, numSegments) are dropped, as in TF. */
function segmentSum(values: NumericArray, segmentIds: NumericArray, inner: number, out: NumericArray, numSegments: number): void {
  out.fill(0);
  for (let i = 0; i < segmentIds.length; i++) {
    const segment = segmentIds[i];
    if (segment < 0 || segment >= numSegments) continue;
    const from = i * inner;
    const to = segment * inner;
    for (let j = 0; j < inner; j++) out[to + j] += values[from + j];
  }
}

const outputShape = (x: Tf.TensorInfo, numSegments: number): number[] => [numSegments, ...x.shape.slice(1)];
const innerSize = (x: Tf.TensorInfo): number => x.shape.slice(1).reduce((a, b) => a * b, 1);

/**
 * UnsortedSegmentSum is the gradient of gather, i.e. of every embedding lookup.
 * The wasm backend of tfjs 4.22 has no such kernel (training fails with "Kernel
 * 'UnsortedSegmentSum' not registered for backend 'wasm'"), and the cpu one
 * loops over every segment (O(vocabulary × batch): an epoch on a 50k-bucket
 * table did not finish in 10 minutes). This registers a linear-time version for
 * both; tfjs-node keeps its native kernel.
 */
export function registerSegmentSumKernel(tf: TensorflowNamespace, backendName: 'wasm' | 'cpu'): void {
  const kernelName = 'UnsortedSegmentSum';
  if (tf.getKernelsForBackend(backendName).some((k) => k.kernelName === kernelName)) tf.unregisterKernel(kernelName, backendName);
  tf.registerKernel({
    kernelName,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, segmentIds } = inputs as { x: Tf.TensorInfo; segmentIds: Tf.TensorInfo };
      const numSegments = (attrs as { numSegments: number }).numSegments;
      if (backendName === 'wasm') {
        const wasm = backend as unknown as WasmKernelBackend;
        const out = wasm.makeOutput(outputShape(x, numSegments), x.dtype);
        segmentSum(wasm.typedArrayFromHeap(x), wasm.typedArrayFromHeap(segmentIds), innerSize(x), wasm.typedArrayFromHeap(out), numSegments);
        return out;
      }
      const cpu = backend as unknown as CpuKernelBackend;
      const shape = outputShape(x, numSegments);
      const values = x.dtype === 'int32' ? new Int32Array(shape.reduce((a, b) => a * b, 1)) : new Float32Array(shape.reduce((a, b) => a * b, 1));
      segmentSum(cpu.readSync(x.dataId), cpu.readSync(segmentIds.dataId), innerSize(x), values, numSegments);
      return cpu.makeTensorInfo(shape, x.dtype, values);
    },
  });
}
