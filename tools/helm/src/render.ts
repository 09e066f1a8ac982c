import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
// The YAML parser (a devDependency); parseAllDocuments/toJSON are the same in v1 and v2.
import * as YAML from 'yaml';
import { processEnvironment } from '@lemo/platform-config';

export const WORKSPACE = resolve(__dirname, '../../..');
export const CHART = join(WORKSPACE, 'helm/lemo-recommender');

/** The helm binary tools/helm/install-tools.sh builds into $LEMO_TOOLS_DIR (default .tools); HELM overrides. */
export function helmBinary(): string {
  const env = processEnvironment();
  const helm = env['HELM'] ?? join(env['LEMO_TOOLS_DIR'] ?? join(WORKSPACE, '.tools'), 'bin/helm');
  if (!existsSync(helm)) throw new Error(`helm not found at ${helm}: run tools/helm/install-tools.sh first`);
  return helm;
}

/** values.yaml (the defaults, rendered without -f) and every values-*.yaml preset of the chart. */
export function valuesFiles(): string[] {
  return ['values.yaml', ...readdirSync(CHART).filter((f) => /^values-.+\.ya?ml$/.test(f)).sort()];
}

// Kubernetes objects as far as these checks read them.
export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean }; configMapKeyRef?: { name: string; key: string } };
}
export interface Probe {
  httpGet?: { path: string; port: string | number };
  grpc?: { port: number };
  tcpSocket?: { port: string | number };
}
export interface Container {
  name: string;
  command?: string[];
  args?: string[];
  ports?: Array<{ name: string; containerPort: number }>;
  env?: EnvVar[];
  envFrom?: Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }>;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
}
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  data?: Record<string, string>;
  spec?: {
    replicas?: number;
    strategy?: { type: string };
    scaleTargetRef?: { name: string };
    template?: {
      metadata: { labels?: Record<string, string>; annotations?: Record<string, string> };
      spec: { containers: Container[] };
    };
  };
}

export class RenderError extends Error {}

/** `helm template` of the chart with the given values file (none for the defaults) and --set pairs. */
export function render(valuesFile: string | null, set: Record<string, string> = {}): K8sObject[] {
  const args = ['template', 'lemo', CHART, '--namespace', 'lemo'];
  if (valuesFile && valuesFile !== 'values.yaml') args.push('-f', join(CHART, valuesFile));
  for (const [key, value] of Object.entries(set)) args.push('--set', `${key}=${value}`);
  let out: string;
  try {
    out = execFileSync(helmBinary(), args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer | string }).stderr?.toString() ?? String(error);
    throw new RenderError(stderr.trim());
  }
  return YAML.parseAllDocuments(out)
    .map((doc) => doc.toJSON() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null && typeof o === 'object' && 'kind' in o);
}
