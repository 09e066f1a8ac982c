import { ConfigError, loadConfig } from './load-config';

describe('loadConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config.profile).toBe('embedded');
    expect(config.http.port).toBe(10071);
    expect(config.grpc.port).toBe(10072);
    expect(config.auth.mode).toBe('api-key');
    expect(config.drivers.documents).toBe('embedded');
    expect(config.topics.behaviors).toBe('user-behaviors-{tenant_id}');
  });

  it('reports every invalid variable in one error', () => {
    try {
      loadConfig({ HTTP_PORT: 'abc', AUTH_MODE: 'open', VECTOR_DIM: '3' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toContain('HTTP_PORT');
      expect(problems).toContain('AUTH_MODE');
      expect(problems).toContain('VECTOR_DIM');
    }
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ HTTP_PORT: '' }).http.port).toBe(10071);
  });

  it('refuses a topic template without the tenant placeholder', () => {
    expect(() => loadConfig({ KAFKA_TOPIC_BEHAVIORS: 'behaviors' })).toThrow(/KAFKA_TOPIC_BEHAVIORS/);
  });
});

describe('cluster backend endpoints', () => {
  it('reads the existing deployment variable names', () => {
    const config = loadConfig({
      MONGODB_URL: 'mongodb://127.0.0.1:27017',
      REDIS_URL: 'redis://127.0.0.1:6379',
      KAFKA_BOOTSTRAP_SERVERS: 'a:9092, b:9092',
      MILVUS_HOST: '127.0.0.1',
      CLICKHOUSE_HOST: '127.0.0.1',
    });
    expect(config.backends.mongodb).toEqual({ url: 'mongodb://127.0.0.1:27017', database: 'lemo' });
    expect(config.backends.kafka?.brokers).toEqual(['a:9092', 'b:9092']);
    expect(config.backends.milvus?.address).toBe('127.0.0.1:19530');
    expect(config.backends.clickhouse?.url).toBe('http://127.0.0.1:8123');
  });

  it('names a malformed URL', () => {
    expect(() => loadConfig({ REDIS_URL: 'localhost:6379' })).toThrow(/REDIS_URL/);
  });

  it('takes a longer MongoDB server selection timeout for slow starts', () => {
    const config = loadConfig({ MONGODB_URL: 'mongodb://127.0.0.1:27017', MONGODB_SERVER_SELECTION_TIMEOUT_MS: '30000' });
    expect(config.backends.mongodb).toEqual({ url: 'mongodb://127.0.0.1:27017', database: 'lemo', serverSelectionTimeoutMs: 30_000 });
    expect(() => loadConfig({ MONGODB_SERVER_SELECTION_TIMEOUT_MS: '10' })).toThrow(/MONGODB_SERVER_SELECTION_TIMEOUT_MS/);
  });
});

describe('storage drivers', () => {
  const cluster = {
    PROFILE: 'cluster',
    ADMIN_API_KEY: 'admin-key-0123456789',
    MONGODB_URL: 'mongodb://127.0.0.1:27017',
    REDIS_URL: 'redis://127.0.0.1:6379',
    KAFKA_BOOTSTRAP_SERVERS: '127.0.0.1:9092',
    MILVUS_HOST: '127.0.0.1',
    CLICKHOUSE_HOST: '127.0.0.1',
  };

  it('PROFILE=cluster selects every cluster driver', () => {
    expect(loadConfig(cluster).drivers).toEqual({
      documents: 'mongodb',
      eventBus: 'kafka',
      jobQueue: 'bull',
      cache: 'redis',
      featureStore: 'redis',
      vectorIndex: 'milvus',
      analytics: 'clickhouse',
    });
  });

  it('lets one port be chosen on its own', () => {
    const config = loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379', CACHE_DRIVER: 'redis' });
    expect(config.drivers.cache).toBe('redis');
    expect(config.drivers.documents).toBe('embedded');
  });

  it('names every missing endpoint of the chosen drivers at once', () => {
    try {
      loadConfig({ PROFILE: 'cluster' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      const problems = (error as ConfigError).problems.join('\n');
      for (const variable of ['MONGODB_URL', 'REDIS_URL', 'KAFKA_BOOTSTRAP_SERVERS', 'MILVUS_HOST', 'CLICKHOUSE_HOST', 'ADMIN_API_KEY']) expect(problems).toContain(variable);
    }
  });
});
