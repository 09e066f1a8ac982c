import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, KNOWN_ENV_VARS, loadConfig, type AppConfig } from '@lemo/platform-config';
import { render, RenderError, valuesFiles, WORKSPACE, type Container, type K8sObject } from './render';

/**
 * No drift between the chart and the code: every variable a rendered pod gets is one the config
 * schema knows, and what each pod gets is a configuration its app starts with (loadConfig accepts
 * it, so every variable the schema requires for the chosen drivers is there), listening where the
 * chart's ports, probes and Services expect it.
 */

const KNOWN = new Set<string>(KNOWN_ENV_VARS);
const PREFIX = 'lemo-service-recommender-';
const HEALTH_PATHS = ['/health', '/health/live', '/health/ready'];

/** Stand-ins for values that come from the Secret, valid for the schema. */
const SECRET_PLACEHOLDERS: Record<string, string> = {
  ADMIN_API_KEY: 'placeholder-admin-key-0123456789',
  MONGODB_URL: 'mongodb://user:password@mongodb:27017',
  REDIS_URL: 'redis://:password@redis:6379/0',
};

type Role = 'http' | 'grpc' | 'background' | 'all-in-one';

/** What an app serves, read from its main.ts: the code decides, not the chart. */
function roleInCode(app: string): Role {
  const main = join(WORKSPACE, 'apps', app, 'src/main.ts');
  if (!existsSync(main)) throw new Error(`the chart runs app "${app}", but apps/${app}/src/main.ts does not exist`);
  const source = readFileSync(main, 'utf8');
  const http = source.includes('createHttpApp(');
  const grpc = source.includes('grpcOptions(');
  // The model-server has its own module but, like the background apps, serves everything on HEALTH_PORT.
  if (source.includes('runBackgroundApp(') || source.includes('listen(config.healthPort')) return 'background';
  if (http && grpc) return 'all-in-one';
  if (http) return 'http';
  if (grpc) return 'grpc';
  throw new Error(`apps/${app}/src/main.ts starts neither HTTP, gRPC nor a background app`);
}

const appOf = (container: Container): string => {
  const path = [...(container.command ?? []), ...(container.args ?? [])].find((a) => /^dist\/apps\/[^/]+\/src\/main\.js$/.test(a));
  if (!path) throw new Error(`container ${container.name} does not run dist/apps/<app>/src/main.js`);
  return path.split('/')[2];
};

interface PodEnv {
  /** Every variable name the pod gets, with where it comes from. */
  names: Array<{ name: string; from: string }>;
  /** Values as the app would see them, with optional Secret keys present or absent. */
  withOptional: Record<string, string>;
  withoutOptional: Record<string, string>;
}

function podEnv(container: Container, objects: K8sObject[]): PodEnv {
  const names: PodEnv['names'] = [];
  const withOptional: Record<string, string> = {};
  const withoutOptional: Record<string, string> = {};
  const put = (name: string, value: string, optional = false) => {
    withOptional[name] = value;
    if (!optional) withoutOptional[name] = value;
  };
  for (const source of container.envFrom ?? []) {
    if (source.secretRef) throw new Error(`${container.name}: envFrom secretRef hides which variables it sets; map keys one by one`);
    const name = source.configMapRef?.name;
    const configMap = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === name);
    if (!configMap) throw new Error(`${container.name}: envFrom names ConfigMap ${name}, which the chart does not render`);
    for (const [key, value] of Object.entries(configMap.data ?? {})) {
      names.push({ name: key, from: `ConfigMap ${name}` });
      put(key, value);
    }
  }
  for (const variable of container.env ?? []) {
    const secret = variable.valueFrom?.secretKeyRef;
    if (secret) {
      names.push({ name: variable.name, from: `Secret ${secret.name} key ${secret.key}` });
      put(variable.name, SECRET_PLACEHOLDERS[variable.name] ?? 'from-secret', secret.optional === true);
    } else if (variable.valueFrom) {
      throw new Error(`${container.name}: ${variable.name} has a valueFrom this check does not know`);
    } else {
      names.push({ name: variable.name, from: 'env' });
      put(variable.name, variable.value ?? '');
    }
  }
  return { names, withOptional, withoutOptional };
}

function startsWith(env: Record<string, string>, label: string): AppConfig {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) throw new Error(`${label}: the app would refuse to start:\n${error.message}`);
    throw error;
  }
}

const port = (container: Container, name: string): number | undefined => container.ports?.find((p) => p.name === name)?.containerPort;

describe.each(valuesFiles())('chart rendered with %s', (valuesFile) => {
  let objects: K8sObject[];
  let deployments: K8sObject[];

  beforeAll(() => {
    objects = render(valuesFile);
    deployments = objects.filter((o) => o.kind === 'Deployment');
  });

  it('renders at least one Deployment, each under the existing lemo-service-recommender-* names', () => {
    expect(deployments.length).toBeGreaterThan(0);
    for (const d of deployments) expect(d.metadata.name.startsWith(PREFIX)).toBe(true);
  });

  it('gives pods only variables the config schema knows', () => {
    const unknown: string[] = [];
    for (const d of deployments) {
      for (const container of d.spec!.template!.spec.containers) {
        for (const { name, from } of podEnv(container, objects).names) {
          if (!KNOWN.has(name)) unknown.push(`${d.metadata.name}: ${name} (${from})`);
        }
      }
    }
    expect(unknown).toEqual([]);
  });

  it('gives every app a configuration it starts with, serving on the ports its probes and Services use', () => {
    for (const d of deployments) {
      const [container] = d.spec!.template!.spec.containers;
      const app = appOf(container);
      const role = roleInCode(app);
      const env = podEnv(container, objects);
      startsWith(env.withoutOptional, `${d.metadata.name} without its optional Secret keys`);
      const config = startsWith(env.withOptional, d.metadata.name);

      expect({ deployment: d.metadata.name, host: config.http.host }).toEqual({ deployment: d.metadata.name, host: '0.0.0.0' });
      const probes = [container.startupProbe, container.readinessProbe, container.livenessProbe];
      expect(probes.every(Boolean)).toBe(true);

      // The container declares exactly the ports its app listens on, at the configured numbers.
      const served: Record<Role, Record<string, number>> = {
        http: { http: config.http.port },
        grpc: { grpc: config.grpc.port },
        background: { health: config.healthPort },
        'all-in-one': { http: config.http.port, grpc: config.grpc.port },
      };
      const declared = Object.fromEntries((container.ports ?? []).map((p) => [p.name, p.containerPort]));
      expect({ deployment: d.metadata.name, ports: declared }).toEqual({ deployment: d.metadata.name, ports: served[role] });

      for (const probe of probes) {
        if (probe?.httpGet) {
          expect(HEALTH_PATHS).toContain(probe.httpGet.path);
          const probePort = typeof probe.httpGet.port === 'number' ? probe.httpGet.port : port(container, probe.httpGet.port);
          expect(probePort).toBe(role === 'background' ? config.healthPort : config.http.port);
        } else if (probe?.grpc) {
          expect(role).toBe('grpc');
          expect(probe.grpc.port).toBe(config.grpc.port);
        } else {
          expect(probe?.tcpSocket).toBeDefined();
        }
      }
    }
  });

  it('gives the serving features one writer: the streams app where it is deployed, else the API, the same in every pod', () => {
    const apps = deployments.map((d) => appOf(d.spec!.template!.spec.containers[0]));
    const writers = new Set(deployments.map((d) => startsWith(podEnv(d.spec!.template!.spec.containers[0], objects).withOptional, d.metadata.name).background.servingFeaturesWriter));
    expect([...writers]).toEqual([apps.includes('streams') ? 'streams' : 'api']);
  });

  it('runs embedded drivers in one process only', () => {
    for (const d of deployments) {
      const [container] = d.spec!.template!.spec.containers;
      const config = loadConfig(podEnv(container, objects).withOptional);
      if (Object.values(config.drivers).includes('embedded')) {
        expect(deployments).toHaveLength(1);
        expect(d.spec!.replicas).toBe(1);
        expect(objects.filter((o) => o.kind === 'HorizontalPodAutoscaler')).toEqual([]);
      }
    }
  });

  it('routes the Services to pods that serve their ports', () => {
    for (const service of objects.filter((o) => o.kind === 'Service')) {
      const spec = service.spec as unknown as { selector: Record<string, string>; ports: Array<{ targetPort: string }> };
      const targets = deployments.filter((d) => Object.entries(spec.selector).every(([k, v]) => d.spec!.template!.metadata.labels?.[k] === v));
      expect({ service: service.metadata.name, pods: targets.length }).toEqual({ service: service.metadata.name, pods: 1 });
      for (const { targetPort } of spec.ports) expect(port(targets[0].spec!.template!.spec.containers[0], targetPort)).toBeDefined();
    }
  });

  it('has the api and grpc pods rank through the model-server where the release runs one, at a Service that reaches it', () => {
    const modelServer = deployments.find((d) => appOf(d.spec!.template!.spec.containers[0]) === 'model-server');
    for (const d of deployments) {
      const [container] = d.spec!.template!.spec.containers;
      if (!['api', 'grpc'].includes(appOf(container))) continue;
      const url = startsWith(podEnv(container, objects).withOptional, d.metadata.name).modelServer.url;
      if (!modelServer) {
        expect({ deployment: d.metadata.name, url }).toEqual({ deployment: d.metadata.name, url: undefined });
        continue;
      }
      const { hostname, port: servicePort } = new URL(url ?? 'http://none');
      const service = objects.find((o) => o.kind === 'Service' && o.metadata.name === hostname);
      expect({ deployment: d.metadata.name, service: service?.metadata.name }).toEqual({ deployment: d.metadata.name, service: hostname });
      const spec = service!.spec as unknown as { selector: Record<string, string>; ports: Array<{ port: number; targetPort: string }> };
      expect(Object.entries(spec.selector).every(([k, v]) => modelServer.spec!.template!.metadata.labels?.[k] === v)).toBe(true);
      const target = spec.ports.find((p) => p.port === Number(servicePort))?.targetPort;
      expect(port(modelServer.spec!.template!.spec.containers[0], target ?? '')).toBeDefined();
    }
  });

  it('labels the gRPC pods for Kratos discovery', () => {
    for (const d of deployments) {
      const [container] = d.spec!.template!.spec.containers;
      if (port(container, 'grpc') === undefined) continue;
      const { labels = {}, annotations = {} } = d.spec!.template!.metadata;
      for (const label of ['kratos-service-app', 'kratos-service-id', 'kratos-service-version']) expect(labels[label]).toMatch(/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/);
      expect(JSON.parse(annotations['kratos-service-protocols'])).toEqual({ [String(port(container, 'grpc'))]: 'grpc' });
      expect(typeof JSON.parse(annotations['kratos-service-metadata'])).toBe('object');
    }
  });

  it('runs the beat as exactly one pod, replaced with Recreate', () => {
    const beat = deployments.find((d) => appOf(d.spec!.template!.spec.containers[0]) === 'beat');
    if (!beat) return;
    expect(beat.spec!.replicas).toBe(1);
    expect(beat.spec!.strategy!.type).toBe('Recreate');
    expect(objects.some((o) => o.kind === 'HorizontalPodAutoscaler' && o.spec!.scaleTargetRef!.name === beat.metadata.name)).toBe(false);
  });

  it('puts no credential in the ConfigMap', () => {
    for (const configMap of objects.filter((o) => o.kind === 'ConfigMap')) {
      for (const name of ['ADMIN_API_KEY', 'MILVUS_PASSWORD', 'CLICKHOUSE_PASSWORD']) expect(configMap.data?.[name]).toBeUndefined();
      for (const name of ['MONGODB_URL', 'REDIS_URL']) expect(configMap.data?.[name] ?? '').not.toMatch(/\/\/[^/@]*:[^/@]*@/);
    }
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
  });
});

describe('what the chart refuses to render', () => {
  const refused = (valuesFile: string, set: Record<string, string>): string => {
    try {
      render(valuesFile, set);
    } catch (error) {
      if (error instanceof RenderError) return error.message;
      throw error;
    }
    throw new Error(`expected helm template to fail with ${JSON.stringify(set)}`);
  };

  it('a cluster release without the endpoint its drivers need', () => {
    expect(refused('values-plan3.yaml', { 'secrets.keys.MONGODB_URL': 'null' })).toMatch(/MONGODB_URL is required/);
  });

  it('a cluster release in api-key mode without an admin key', () => {
    expect(refused('values-plan3.yaml', { 'secrets.keys.ADMIN_API_KEY': 'null' })).toMatch(/ADMIN_API_KEY is required/);
  });

  it('embedded drivers with more than one replica', () => {
    expect(refused('values-plan1.yaml', { 'apps.allInOne.replicas': '2', 'apps.allInOne.persistence.enabled': 'false' })).toMatch(/one process/);
  });

  it('a second beat', () => {
    expect(refused('values-plan3.yaml', { 'apps.beat.replicas': '2' })).toMatch(/beat.replicas must be 1/);
  });

  it('a credential in the ConfigMap', () => {
    expect(refused('values-plan1.yaml', { 'config.ADMIN_API_KEY': 'not-a-secret-0123456789' })).toMatch(/credential/);
  });
});
