// Jest `setupFiles` entry that runs a suite on the cluster profile: the real
// MongoDB, Redis, Kafka, Milvus and ClickHouse of the dev stack (.stack/env).
require('./load-stack-env.js');
process.env.PROFILE = 'cluster';
